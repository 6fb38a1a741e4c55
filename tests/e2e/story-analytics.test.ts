/**
 * Analytics for authors through the HTTP API, on both databases: the test plays sessions with the
 * offline narrator and judge (which take a choice when the input is its text, and none for words
 * matching no choice) and reads back exactly what it played — sessions, endings, knot visits,
 * choice shares with "no choice", the median turns to an ending, tokens. The request's SQL
 * statements are counted: the same number for four sessions as for seven.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { dbTargets, eventually } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'story-analytics-secret-story-analytics-01';

const GARDEN = `-> gate
=== gate ===
The garden gate.
+ [Walk to the fountain] -> fountain
+ [Climb the old wall] -> wall.top
=== fountain ===
The fountain sings.
+ [Drink the water] -> sweet_end
+ [Return to the gate] -> gate
=== wall ===
= top
From the wall top you see the sea.
+ [Jump down to the sea] -> sea_end
=== sweet_end ===
# ending: sweet
The water tastes of honey.
-> END
=== sea_end ===
The sea takes you home.
-> END
=== cellar ===
Nobody finds the cellar.
-> END
`;

/** Counts SQL statements sent by node-postgres clients and run by PGlite, while `on`. */
function countStatements() {
  const counter = { on: false, n: 0, undo: [] as (() => void)[] };
  const wrap = (proto: any, name: string) => {
    const original = proto[name];
    proto[name] = function (this: unknown, ...args: unknown[]) {
      if (counter.on) counter.n += 1;
      return original.apply(this, args);
    };
    counter.undo.push(() => (proto[name] = original));
  };
  wrap(pg.Client.prototype, 'query');
  const base = Object.getPrototypeOf(PGlite.prototype);
  wrap(base, 'query');
  wrap(base, 'exec');
  return counter;
}

describe.each(dbTargets())('story analytics [$name]', (target) => {
  let server: RunningServer;
  let author: ReturnType<typeof api>;
  let storyId: string;
  let tokens = 0;
  let counter: ReturnType<typeof countStatements>;

  beforeAll(async () => {
    counter = countStatements();
    server = await startServer(target.env({ JWT_SECRET: SECRET }), silentLogger());
    author = api(server.url, (await signUserToken(SECRET)).token);
    storyId = (await author('POST', '/api/stories', { title: 'Garden', source: GARDEN })).body.id;
  }, 60_000);
  afterAll(async () => {
    for (const undo of counter.undo.reverse()) undo();
    await server?.shutdown();
    await target.cleanup();
  });

  /** A new session that plays `inputs` in order; the turns' tokens add to `tokens`. */
  const playSession = async (...inputs: string[]) => {
    const id = (await author('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    for (const input of inputs) {
      const accepted = await author('POST', '/api/story/action', { session_id: id, user_input: input });
      expect(accepted.status).toBe(202);
      const done = await eventually(async () => {
        const s = (await author('GET', `/api/story/status/${accepted.body.task_id}`)).body;
        return s.status === 'completed' || s.status === 'failed' ? s : undefined;
      }, 20_000, 'the turn');
      expect(done.status).toBe('completed');
      tokens += done.result.usage.inputTokens + done.result.usage.outputTokens;
    }
  };
  const analytics = async () => {
    counter.n = 0;
    counter.on = true;
    const res = await author('GET', `/api/stories/${storyId}/analytics`);
    counter.on = false;
    expect(res.status).toBe(200);
    return { body: res.body, statements: counter.n };
  };

  it('counts what was played: sessions, endings, visits, choice shares, median turns, tokens', async () => {
    await playSession('Walk to the fountain', 'Drink the water');
    await playSession('Walk to the fountain', 'Return to the gate', 'Climb the old wall', 'Jump down to the sea');
    await playSession('xyzzy plugh', 'Walk to the fountain');
    await playSession();
    // A first request opens the pool's connections (node-postgres: their setup statements count too).
    await analytics();
    const { body, statements } = await analytics();
    expect(body).toMatchObject({
      sessions: { started: 4, finished: 2, forks: 0 },
      turns: { played: 8, alternatives: 0, median_to_ending: 3 },
      endings: [
        { ending: 'sea_end', position: 'sea_end', sessions: 1 },
        { ending: 'sweet', position: 'sweet_end', sessions: 1 },
      ],
      coverage: { knots: 6, knots_never_reached: 1, never_reached_share: 0.166667 },
      judge: { turns: 8, repair_rate: 0, fallback_rate: 0 },
      usage: { tokens, per_session: { tokens: tokens / 4 } },
      sample: { sessions: 4, limit: 10_000 },
    });
    const visits = Object.fromEntries(body.coverage.places.map((p: { path: string; visits: number }) => [p.path, p.visits]));
    expect(visits).toEqual({ gate: 5, fountain: 3, wall: 1, 'wall.top': 1, sweet_end: 1, sea_end: 1, cellar: 0 });
    const shares = Object.fromEntries(body.choice_points.map((p: { position: string; turns: number; choices: { text: string | null; taken: number; share: number }[] }) => [p.position, [p.turns, p.choices.map((c) => [c.text, c.taken, c.share])]]));
    expect(shares).toEqual({
      gate: [5, [['Walk to the fountain', 3, 0.6], ['Climb the old wall', 1, 0.2], [null, 1, 0.2]]],
      fountain: [2, [['Drink the water', 1, 0.5], ['Return to the gate', 1, 0.5], [null, 0, 0]]],
      'wall.top': [1, [['Jump down to the sea', 1, 1], [null, 0, 0]]],
    });
    expect(body.usage.by_turn.map((u: { turn_no: number; turns: number }) => [u.turn_no, u.turns])).toEqual([[1, 3], [2, 3], [3, 1], [4, 1]]);

    // The cost is bounded by counting: three more sessions, not one statement more.
    await playSession('Walk to the fountain', 'Drink the water');
    await playSession('Climb the old wall');
    await playSession();
    const more = await analytics();
    expect(more.body.sessions).toMatchObject({ started: 7, finished: 3 });
    expect(more.statements).toBe(statements);
    // Six aggregates, the story, auth: counted at all (not zero), and few.
    expect(statements).toBeGreaterThanOrEqual(6);
    expect(statements).toBeLessThanOrEqual(12);
  }, 120_000);
});
