import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, expectError, type TestApp, type User } from './__fixtures__/test-app.js';

let t: TestApp;
/** A session with one committed turn (the lamp lit), shared by the read-only tests. */
let player: User;
let played: string;
beforeAll(async () => {
  t = await createTestApp({ MAX_SESSIONS_PER_USER: '2' });
  player = await t.guest();
  played = await t.newSession(player);
  await t.play(player, played, 'I light the old brass lamp');
});
afterAll(() => t?.close());

describe('happy path', () => {
  it('POST /api/sessions: runs the opening and answers with turn 0', async () => {
    const me = await t.guest();
    const res = await me.call('POST', '/api/sessions', { story_id: await t.storyId() });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      session_id: expect.any(String),
      turn_no: 0,
      opening: { text: expect.stringContaining('A cold hall'), tags: ['scene: hall'], choices: expect.any(Array), ended: false, variables: { gold: 2, lamp_lit: false, name: 'Ada' }, position: 'hall' },
    });
    expect(res.body.opening.choices).toEqual([
      { index: 0, text: 'Light the old brass lamp', tags: [] },
      { index: 1, text: 'Leave the vault through the front door', tags: [] },
    ]);
  });

  it('GET /api/sessions/:id: the session after its last turn', async () => {
    const res = await player.call('GET', `/api/sessions/${played}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ session_id: played, story_id: await t.storyId(), turn_no: 1, status: 'active', ended: false, variables: { lamp_lit: true }, redo_available: false, forked_from: null, forked_at_turn: null });
  });

  it('GET /api/sessions/:id/turns: the transcript, paged by turn number', async () => {
    const all = await player.call('GET', `/api/sessions/${played}/turns`);
    expect(all.status).toBe(200);
    expect(all.body.turns.map((x: { turn_no: number }) => x.turn_no)).toEqual([0, 1]);
    expect(all.body.next_after).toBeNull();
    expect(all.body.turns[1]).toMatchObject({ session_id: played, input: 'I light the old brass lamp', action: 'do', state: 'active', decision: { choice_index: 0 }, response: expect.any(String) });
    expect(all.body.turns[0].usage).toBeNull();

    const first = await player.call('GET', `/api/sessions/${played}/turns?limit=1`);
    expect(first.body).toMatchObject({ turns: [{ turn_no: 0 }], next_after: 0 });
    const next = await player.call('GET', `/api/sessions/${played}/turns?limit=1&after=0`);
    expect(next.body).toMatchObject({ turns: [{ turn_no: 1 }], next_after: 1 });
    const rest = await player.call('GET', `/api/sessions/${played}/turns?after=1&include=all`);
    expect(rest.body).toEqual({ turns: [], next_after: null });
  });

  it('GET /api/sessions/:id/turns/:n/trace: what the models were sent for the turn', async () => {
    const res = await player.call('GET', `/api/sessions/${played}/turns/1/trace`);
    expect(res.status).toBe(200);
    expect(res.body.trace).toEqual(expect.any(Object));
  });

  it("GET /api/sessions/:id/usage and /api/me/usage: the turns' tokens and cost", async () => {
    const session = await player.call('GET', `/api/sessions/${played}/usage`);
    expect(session.status).toBe(200);
    expect(session.body).toEqual({ session: { turns: 1, tokens: expect.any(Number), costUsd: expect.any(Number), byokTokens: 0 } });
    const mine = await player.call('GET', '/api/me/usage');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ today: session.body.session, total: session.body.session, daily_token_budget: 0 });
  });
});

describe('errors', () => {
  it('every session route is 401 without a valid token', async () => {
    expectError(await t.request('POST', '/api/sessions', { body: { story_id: await t.storyId() } }), 401, 'unauthorized');
    for (const path of [`/api/sessions/${played}`, `/api/sessions/${played}/turns`, `/api/sessions/${played}/turns/1/trace`, `/api/sessions/${played}/usage`, '/api/me/usage']) {
      expectError(await t.request('GET', path), 401, 'unauthorized');
      expectError(await t.request('GET', path, { token: `${player.token}x` }), 401, 'unauthorized');
    }
  });

  it('POST /api/sessions is 400 for a malformed body', async () => {
    const me = await t.guest();
    expectError(await me.call('POST', '/api/sessions', {}), 400, 'bad_request');
    expectError(await me.call('POST', '/api/sessions', { story_id: 42 }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/sessions', { story_id: 'x'.repeat(101) }), 400, 'bad_request');
    expectError(await me.call('POST', '/api/sessions', '{'), 400, 'bad_request');
  });

  it('POST /api/sessions is 404 story_not_found for an unknown story and for someone else’s private one', async () => {
    const owner = await t.guest();
    const story = await owner.call('POST', '/api/stories', { title: 'Private', source: 'Hello.\n* [Bye] -> END\n' });
    const me = await t.guest();
    expectError(await me.call('POST', '/api/sessions', { story_id: '00000000-0000-0000-0000-000000000000' }), 404, 'story_not_found');
    expectError(await me.call('POST', '/api/sessions', { story_id: story.body.id }), 404, 'story_not_found');
  });

  it('POST /api/sessions is 403 when the session quota is full, with the quota in details', async () => {
    const me = await t.guest();
    await t.newSession(me);
    await t.newSession(me);
    const res = await me.call('POST', '/api/sessions', { story_id: await t.storyId() });
    expectError(res, 403, 'forbidden');
    expect(res.body.error.details).toEqual({ quota: 'sessions', limit: 2, used: 2 });
  });

  it('POST /api/sessions is 403 story_hidden on a story a moderator hid, even for its owner', async () => {
    const owner = await t.guest();
    const story = await owner.call('POST', '/api/stories', { title: 'Soon hidden', source: 'Hello.\n* [Bye] -> END\n', visibility: 'public' });
    expect((await t.request('PUT', `/api/admin/stories/${story.body.id}/hidden`, { token: ADMIN_TOKEN })).status).toBe(200);
    expectError(await owner.call('POST', '/api/sessions', { story_id: story.body.id }), 403, 'story_hidden');
  });

  it('POST /api/sessions is 413 for a body over MAX_BODY_BYTES', async () => {
    expectError(await (await t.guest()).call('POST', '/api/sessions', { story_id: 'x'.repeat(t.env.MAX_BODY_BYTES) }), 413, 'payload_too_large');
  });

  it('the session routes are 404 session_not_found for an unknown session and for someone else’s', async () => {
    const other = await t.guest();
    for (const id of ['00000000-0000-0000-0000-000000000000', played]) {
      for (const path of [`/api/sessions/${id}`, `/api/sessions/${id}/turns`, `/api/sessions/${id}/turns/1/trace`, `/api/sessions/${id}/usage`]) {
        expectError(await other.call('GET', path), 404, 'session_not_found');
      }
    }
  });

  it('GET /api/sessions/:id/turns is 400 for a bad page', async () => {
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'after=-2', 'include=some']) {
      expectError(await player.call('GET', `/api/sessions/${played}/turns?${query}`), 400, 'bad_request');
    }
  });

  it('GET /api/sessions/:id/turns/:n/trace is 400 for a bad turn number and 404 not_found for a turn without one', async () => {
    expectError(await player.call('GET', `/api/sessions/${played}/turns/-1/trace`), 400, 'bad_request');
    expectError(await player.call('GET', `/api/sessions/${played}/turns/one/trace`), 400, 'bad_request');
    expectError(await player.call('GET', `/api/sessions/${played}/turns/7/trace`), 404, 'not_found');
  });

  it('GET /api/sessions/:id is 400 for an id over 100 characters', async () => {
    expectError(await player.call('GET', `/api/sessions/${'s'.repeat(101)}`), 400, 'bad_request');
  });
});

describe("PATCH /api/sessions/:id: the player's author's note, persona and instructions", () => {
  type Request = { messages: { role: string; content: string }[]; sections: { name: string }[] };
  type Trace = { narrator: { request: Request }; judge: { calls: { request: Request }[] } };
  const traceOf = async (me: User, sessionId: string, turnNo: number) => (await me.call('GET', `/api/sessions/${sessionId}/turns/${turnNo}/trace`)).body.trace as Trace;

  it('stores them, and the next turns carry them: the note two entries before the end, persona and instructions after the story guidance', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    const steer = await me.call('PATCH', `/api/sessions/${sessionId}`, {
      author_note: 'Keep it eerie; the sea is listening.',
      persona: { name: 'Mara', description: '一位年迈的灯塔看守人' },
      instructions: 'Short sentences, please.',
    });
    expect(steer.status).toBe(200);
    expect(steer.body).toMatchObject({ author_note: 'Keep it eerie; the sea is listening.', persona: { name: 'Mara', description: '一位年迈的灯塔看守人' }, instructions: 'Short sentences, please.' });
    for (const input of ['I hum a tune', 'I light the old brass lamp', 'I wait quietly']) await t.play(me, sessionId, input);

    const trace = await traceOf(me, sessionId, 3);
    const request = trace.narrator.request;
    const [system, user] = request.messages.map((m) => m.content);
    expect(system!.indexOf('<persona>\nMara: 一位年迈的灯塔看守人\n</persona>')).toBeGreaterThan(system!.indexOf('You are the narrator'));
    expect(system!.indexOf('<player_instructions>\nShort sentences, please.')).toBeGreaterThan(system!.indexOf('<persona>'));
    // History holds turns 1 and 2 (the opening has no words); the note goes two entries from the newest.
    const history = user!.slice(user!.indexOf('<recent_history>'), user!.indexOf('</recent_history>'));
    const note = history.indexOf('<author_note>\nKeep it eerie; the sea is listening.\n</author_note>');
    expect(note).toBeGreaterThan(0);
    expect(note).toBeLessThan(history.indexOf('I hum a tune'));
    expect(request.sections.map((s) => s.name)).toEqual(expect.arrayContaining(['persona', 'player_instructions', 'author_note']));
    // The judge is not steered by the player.
    expect(JSON.stringify(trace.judge.calls[0]!.request.messages)).not.toContain('Short sentences, please.');
  });

  it('leaves out fields as they are, clears with null or "", and is 413 naming a field over 2,000 characters (nothing changed)', async () => {
    const me = await t.guest();
    const sessionId = await t.newSession(me);
    await me.call('PATCH', `/api/sessions/${sessionId}`, { author_note: 'a note', instructions: 'be brief' });
    const partial = await me.call('PATCH', `/api/sessions/${sessionId}`, { persona: { name: 'Ada', description: '' } });
    expect(partial.body).toMatchObject({ author_note: 'a note', instructions: 'be brief', persona: { name: 'Ada', description: '' } });
    const tooLong = await me.call('PATCH', `/api/sessions/${sessionId}`, { author_note: 'short', instructions: '长'.repeat(2001) });
    expectError(tooLong, 413, 'payload_too_large');
    expect(tooLong.body.error.details).toEqual([expect.objectContaining({ path: 'instructions' })]);
    expect((await me.call('GET', `/api/sessions/${sessionId}`)).body.author_note).toBe('a note');
    const cleared = await me.call('PATCH', `/api/sessions/${sessionId}`, { author_note: null, instructions: '', persona: null });
    expect(cleared.body).toMatchObject({ author_note: null, instructions: null, persona: null });
  });

  it("is 404 for someone else's session, 400 for a malformed body, 401 without a token", async () => {
    const other = await t.guest();
    expectError(await other.call('PATCH', `/api/sessions/${played}`, { author_note: 'mine now' }), 404, 'session_not_found');
    expectError(await player.call('PATCH', `/api/sessions/${played}`, { persona: { name: 3 } }), 400, 'bad_request');
    expectError(await player.call('PATCH', `/api/sessions/${played}`, '{"author_note":'), 400, 'bad_request');
    expectError(await t.request('PATCH', `/api/sessions/${played}`, { body: { author_note: 'x' } }), 401, 'unauthorized');
    expect((await player.call('GET', `/api/sessions/${played}`)).body.author_note).toBeNull();
  });
});
