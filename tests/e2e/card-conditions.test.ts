/**
 * Lore that follows the story: cards with a `when` condition over the ink state, in the ink file
 * and through the API, checked on save and active exactly while the condition holds — the turn
 * after the story changed the variable, and not before. The trace says which held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { eventually, testServerEnv } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'card-conditions-secret-card-conditions-01';

const STORY = `VAR trust = 0
-> yard
=== yard ===
The keeper watches you from the lamp room.
* [Earn his trust]
  ~ trust = 3
  He nods, once. -> tower
* [Leave] -> END
=== tower ===
The stairs wind up.
* [Climb] -> top
= top
The lamp turns.
-> END

=== card_secret ===
# card: The keeper's secret
# when: trust >= 3
The keeper hid the logbook under the third step.
-> END
`;

describe('card conditions', () => {
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let storyId: string;

  beforeAll(async () => {
    server = await startServer(testServerEnv({ JWT_SECRET: SECRET }), silentLogger());
    call = api(server.url, (await signUserToken(SECRET)).token);
    const story = await call('POST', '/api/stories', { title: 'Keeper', source: STORY });
    expect(story.status).toBe(201);
    storyId = story.body.id;
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
  });

  const play = async (sessionId: string, input: string) => {
    const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: input });
    expect(accepted.status).toBe(202);
    const status = await eventually(async () => {
      const s = (await call('GET', `/api/story/status/${accepted.body.task_id}`)).body;
      return s.status === 'completed' || s.status === 'failed' ? s : undefined;
    }, 20_000, 'the turn');
    expect(status.status).toBe('completed');
    return status.result as { turn_no: number };
  };
  const cardTrace = async (sessionId: string, turnNo: number, name: string) => {
    const { trace } = (await call('GET', `/api/sessions/${sessionId}/turns/${turnNo}/trace`)).body;
    return (trace.recall?.cards ?? []).find((c: { name: string }) => c.name === name) as { when?: string; conditionHolds?: boolean } | undefined;
  };

  it('an ink card with # when: is offered only from the turn after its variable changed', async () => {
    const listed = await call('GET', `/api/stories/${storyId}/cards`);
    expect(listed.body.ink_cards).toEqual([{ name: "The keeper's secret", keywords: [], text: 'The keeper hid the logbook under the third step.', when: 'trust >= 3' }]);
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const first = await play(sessionId, 'Earn his trust');
    expect((await call('GET', `/api/sessions/${sessionId}`)).body.variables.trust).toBe(3);
    // Turn 1 was played while trust was 0: the card was held back.
    expect(await cardTrace(sessionId, first.turn_no, "The keeper's secret")).toMatchObject({ when: 'trust >= 3', conditionHolds: false });
    const second = await play(sessionId, 'I look around the tower');
    expect(await cardTrace(sessionId, second.turn_no, "The keeper's secret")).toMatchObject({ when: 'trust >= 3', conditionHolds: true });
    // With no keywords, a condition that holds is enough: the narrator was told.
    const narratorSaw = async (turnNo: number) => JSON.stringify((await call('GET', `/api/sessions/${sessionId}/turns/${turnNo}/trace`)).body.trace.narrator);
    expect(await narratorSaw(first.turn_no)).not.toContain('under the third step');
    expect(await narratorSaw(second.turn_no)).toContain('under the third step');
  });

  it('API cards take a condition, checked against the story when saved', async () => {
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const ok = await call('POST', `/api/sessions/${sessionId}/cards`, { name: 'Top', text: 'The lamp room is warm.', when: 'visits("tower.top") > 0 or turn > 10' });
    expect(ok.status).toBe(201);
    expect(ok.body.card.when).toBe('visits("tower.top") > 0 or turn > 10');
    const refused = async (when: string, names: string[]) => {
      const res = await call('POST', `/api/sessions/${sessionId}/cards`, { name: 'Bad', text: 'x', when });
      expect(res.status, when).toBe(422);
      expect(res.body.error.code).toBe('card_condition_invalid');
      for (const n of names) expect(res.body.error.message).toContain(n);
    };
    await refused('courage > 1', ['courage']);
    await refused('visits("nowhere") > 0 and visits("tower.bottom") > 0', ['nowhere', 'tower.bottom']);
    await refused('trust >=', []);
    await refused('process.exit()', []);
    // Cleared with null; a story card by the owner, for every session.
    const cleared = await call('PATCH', `/api/sessions/${sessionId}/cards/${ok.body.id ?? ok.body.card.id}`, { when: null });
    expect(cleared.body.card.when).toBeNull();
    expect(cleared.body.card.keywords).toEqual([]);
    const storyCard = await call('POST', `/api/stories/${storyId}/cards`, { name: 'Trusted', text: 'He trusts you.', when: 'trust > 2' });
    expect(storyCard.status).toBe(201);
  });

  it('an API card with a condition and no keywords is offered exactly from the turn after its variable changed', async () => {
    const card = await call('POST', `/api/stories/${storyId}/cards`, { name: 'Lamp oil', text: 'The lamp oil is kept in the cellar.', when: 'trust >= 3' });
    expect(card.status).toBe(201);
    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const first = await play(sessionId, 'Earn his trust');
    expect(await cardTrace(sessionId, first.turn_no, 'Lamp oil')).toMatchObject({ when: 'trust >= 3', conditionHolds: false });
    const second = await play(sessionId, 'I look around the tower');
    expect(await cardTrace(sessionId, second.turn_no, 'Lamp oil')).toMatchObject({ when: 'trust >= 3', conditionHolds: true });
    const narratorSaw = async (turnNo: number) => JSON.stringify((await call('GET', `/api/sessions/${sessionId}/turns/${turnNo}/trace`)).body.trace.narrator);
    expect(await narratorSaw(first.turn_no)).not.toContain('kept in the cellar');
    expect(await narratorSaw(second.turn_no)).toContain('kept in the cellar');
  });

  it('an ink card whose condition names what the story lacks is a compile error', async () => {
    const res = await call('POST', '/api/stories', { title: 'Bad card', source: STORY.replace('# when: trust >= 3', '# when: faith >= 3') });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error.details)).toContain('faith');
  });
});
