import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const V1 = '-> hall\n=== hall ===\nA dusty hall.\n* [Open the red door] -> red\n* [Open the blue door] -> blue\n=== red ===\nRed room. # ending: red\n-> END\n=== blue ===\nBlue room.\n-> END\n=== attic ===\nNobody comes here.\n-> END\n';
const V2 = V1.replace('A dusty hall.', 'A bright hall.');

async function story(owner: User, visibility: 'private' | 'public' = 'public'): Promise<string> {
  const res = await owner.call('POST', '/api/stories', { title: 'Doors', source: V1, visibility });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function playTo(player: User, storyId: string, input: string): Promise<void> {
  const res = await player.call('POST', '/api/sessions', { story_id: storyId });
  expect(res.status).toBe(201);
  expect((await t.play(player, res.body.session_id, input)).status).toBe('completed');
}

describe('GET /api/stories/:id/analytics', () => {
  it('the owner reads the numbers of what was played', async () => {
    const owner = await t.guest();
    const id = await story(owner);
    await playTo(owner, id, 'Open the red door');
    const res = await owner.call('GET', `/api/stories/${id}/analytics`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      story_id: id,
      version: null,
      sessions: { started: 1, finished: 1, forks: 0 },
      turns: { played: 1, alternatives: 0, median_to_ending: 1 },
      endings: [{ ending: 'red', position: 'red', sessions: 1 }],
      coverage: { knots: 4, knots_never_reached: 2, never_reached_share: 0.5 },
      choice_points: [{ position: 'hall', turns: 1, choices: [{ text: 'Open the red door', taken: 1, share: 1 }, { text: 'Open the blue door', taken: 0, share: 0 }, { text: null, taken: 0, share: 0 }] }],
      judge: { turns: 1, repair_rate: 0, fallback_rate: 0 },
    });
    expect(res.body.coverage.places).toContainEqual({ path: 'attic', kind: 'knot', visits: 0, sessions: 0, in_story: true });
  });

  it('others who see the story get 403, those who do not and unknown stories 404; admins read it', async () => {
    const owner = await t.guest();
    const open = await story(owner, 'public');
    const closed = await story(owner, 'private');
    const other = await t.guest();
    expectError(await other.call('GET', `/api/stories/${open}/analytics`), 403, 'forbidden');
    expectError(await other.call('GET', `/api/stories/${closed}/analytics`), 404, 'story_not_found');
    expectError(await owner.call('GET', '/api/stories/no-such-story/analytics'), 404, 'story_not_found');
    expect((await (await t.account({ admin: true })).call('GET', `/api/stories/${closed}/analytics`)).status).toBe(200);
  });

  it('?format=csv is a download of one row per number', async () => {
    const owner = await t.guest();
    const id = await story(owner);
    await playTo(owner, id, 'Open the blue door');
    const res = await owner.call('GET', `/api/stories/${id}/analytics?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="story-.+-analytics\.csv"$/);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('section,name,detail,value,share');
    expect(lines).toContain('sessions,started,,1,');
    expect(lines).toContain('ending,blue,blue,1,1');
    expect(lines).toContain('choice,hall,Open the blue door,1,1');
    expect(lines).toContain('choice,hall,(no choice),0,0');
  });

  it('?version=n counts only sessions on that version; an unknown version is 404', async () => {
    const owner = await t.guest();
    const id = await story(owner);
    await playTo(owner, id, 'Open the red door');
    expect((await owner.call('PUT', `/api/stories/${id}/source`, { source: V2 })).status).toBe(200);
    await playTo(owner, id, 'Open the blue door');
    await playTo(owner, id, 'Open the blue door');
    const all = (await owner.call('GET', `/api/stories/${id}/analytics`)).body;
    const v1 = (await owner.call('GET', `/api/stories/${id}/analytics?version=1`)).body;
    const v2 = (await owner.call('GET', `/api/stories/${id}/analytics?version=2`)).body;
    expect([all.sessions.started, v1.sessions.started, v2.sessions.started]).toEqual([3, 1, 2]);
    expect(v1).toMatchObject({ version: 1, endings: [{ ending: 'red', sessions: 1 }] });
    expect(v2).toMatchObject({ version: 2, endings: [{ ending: 'blue', sessions: 2 }] });
    expectError(await owner.call('GET', `/api/stories/${id}/analytics?version=9`), 404, 'not_found');
    expectError(await owner.call('GET', `/api/stories/${id}/analytics?version=zero`), 400, 'bad_request');
  });
});
