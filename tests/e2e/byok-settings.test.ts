/**
 * Players' settings and their own provider keys, through a listening server (PGlite and
 * PostgreSQL) against a fake OpenAI HTTP server: a player's key reaches the provider as their
 * Authorization header on their turns only, with their chosen model, temperature and passage
 * length; the key is sealed in the database; the usage ledger marks those turns `byok`, and the
 * daily token budget leaves them out.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import type { FakeReply, FakeRequest } from '../support/fake-llm/common.js';
import { startFakeAnthropic } from '../support/fake-llm/anthropic-fake.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-fake.js';
import { dbTargets, eventually, TEST_PG_URL } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'byok-secret-byok-secret-byok-secret-0123456789';
const SERVER_KEY = 'sk-server-key-0000000000000000';
const PLAYER_KEY = 'sk-player-own-Qx7Vb2Lm9Tz4Rw8Ys';
const DECISION = { choiceIndex: 0, variableUpdates: [], memories: [], summary: 'The lamp is lit.' };
const isJudge = (req: FakeRequest) => Boolean(req.body.response_format || req.body.tools);

describe.each(dbTargets())('settings and bring-your-own-key [$name]', (target) => {
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  let claude: Awaited<ReturnType<typeof startFakeAnthropic>>;
  let server: RunningServer;
  let player: { token: string; userId: string };
  let other: { token: string; userId: string };
  const as = (who: { token: string }) => api(server.url, who.token);

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    claude = await startFakeAnthropic();
    claude.respond((): FakeReply => ({ text: 'Claude tells it: the wick catches.' }));
    fake.respond((req): FakeReply => (isJudge(req) ? { json: DECISION } : { text: 'The wick catches; yellow light fills the vault.' }));
    server = await startServer(
      target.env({
        JWT_SECRET: SECRET,
        STORIES_DIR: 'tests/fixtures',
        OPENAI_API_KEY: SERVER_KEY,
        OPENAI_BASE_URL: fake.baseURL,
        NARRATOR_MODEL: 'openai:server-narrator',
        JUDGE_MODEL: 'openai:server-judge',
        // The server has no Anthropic key: only a player's own key makes the Anthropic model work.
        ANTHROPIC_BASE_URL: claude.baseURL,
        ADMIN_TOKEN: 'byok-admin-token-0123456789abcdef',
        ALLOWED_MODELS: 'openai:server-narrator,openai:player-pick,anthropic:player-claude',
        PROVIDER_KEY_SECRET: Buffer.alloc(32, 9).toString('hex'),
        TURN_ATTEMPTS: '1',
        // Less than one turn: a turn on the server's key spends it; turns on the player's own key do not.
        DAILY_TOKEN_BUDGET: '50',
      }),
      silentLogger(),
    );
    player = await signUserToken(SECRET);
    other = await signUserToken(SECRET);
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await fake?.close();
    await claude?.close();
    await target.cleanup();
  });

  /** Start a session on the vault and play one turn; the fake's requests of that turn and the result. */
  async function playTurn(who: { token: string }, sessionId?: string) {
    const call = as(who);
    const id = sessionId ?? (await call('POST', '/api/sessions', { story_id: (await call('GET', '/api/stories?q=vault')).body.stories[0].id })).body.session_id;
    const before = fake.requests.length;
    const accepted = await call('POST', '/api/story/action', { session_id: id, user_input: 'I light the lamp' });
    expect(accepted.status).toBe(202);
    const done = await eventually(async () => {
      const s = await call('GET', `/api/story/status/${accepted.body.task_id}`);
      return s.body.status === 'completed' || s.body.status === 'failed' ? s.body : undefined;
    }, 20_000, 'the turn');
    expect(done.status).toBe('completed');
    return { sessionId: id as string, result: done.result, requests: fake.requests.slice(before) };
  }

  it("the player's key and settings reach the provider on their turns; another player's turn uses the server's key", async () => {
    expect((await as(player)('PUT', '/api/me/provider-keys/openai', { api_key: PLAYER_KEY })).status).toBe(200);
    expect((await as(player)('PUT', '/api/me/settings', { narrator_model: 'openai:player-pick', temperature: 0.25, passage_length: 'short' })).status).toBe(200);

    const mine = await playTurn(player);
    expect(mine.requests.length).toBeGreaterThanOrEqual(2);
    for (const req of mine.requests) expect(req.headers.authorization).toBe(`Bearer ${PLAYER_KEY}`);
    const narrator = mine.requests.find((r) => !isJudge(r))!;
    expect({ model: narrator.body.model, temperature: narrator.body.temperature, max: narrator.body.max_tokens }).toEqual({ model: 'player-pick', temperature: 0.25, max: 220 });
    expect(JSON.stringify(narrator.body.messages)).toContain('keep each passage short');
    expect(mine.result.usage).toMatchObject({ byok: true, byokTokens: mine.result.usage.inputTokens + mine.result.usage.outputTokens });
    expect(mine.result.usage.calls.filter((c: { role: string }) => c.role !== 'judge-fallback').every((c: { byok?: boolean }) => c.byok === true)).toBe(true);

    const theirs = await playTurn(other);
    for (const req of theirs.requests) expect(req.headers.authorization).toBe(`Bearer ${SERVER_KEY}`);
    const theirNarrator = theirs.requests.find((r) => !isJudge(r))!;
    expect({ model: theirNarrator.body.model, temperature: theirNarrator.body.temperature, max: theirNarrator.body.max_tokens }).toEqual({ model: 'server-narrator', temperature: undefined, max: 400 });
    expect(theirs.result.usage.byok).toBeUndefined();
    expect((await as(other)('GET', '/api/me/usage')).body.today.byokTokens).toBe(0);
    expect((await as(player)('GET', '/api/me/usage')).body.today.byokTokens).toBeGreaterThan(0);
    // The other player's turn spent the server's budget; the player's own-key turn did not.
    const refused = await as(other)('POST', '/api/story/action', { session_id: theirs.sessionId, user_input: 'again' });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 429, code: 'budget_exceeded' });

    // The key appears in no trace.
    const trace = await as(player)('GET', `/api/sessions/${mine.sessionId}/turns/1/trace`);
    expect(trace.status).toBe(200);
    expect(JSON.stringify(trace.body)).not.toContain('Qx7Vb2');
  });

  it('a settings change applies to the next turn; removing the key sends the next turn on the server’s key', async () => {
    const first = await playTurn(player);
    expect((await as(player)('PUT', '/api/me/settings', { temperature: 0.9, passage_length: 'long' })).status).toBe(200);
    const second = await playTurn(player, first.sessionId);
    const narrator = second.requests.find((r) => !isJudge(r))!;
    expect({ temperature: narrator.body.temperature, max: narrator.body.max_tokens }).toEqual({ temperature: 0.9, max: 900 });
    expect((await as(player)('DELETE', '/api/me/provider-keys/openai')).status).toBe(204);
    const third = await playTurn(player, first.sessionId);
    for (const req of third.requests) expect(req.headers.authorization).toBe(`Bearer ${SERVER_KEY}`);
    expect(third.requests.find((r) => !isJudge(r))!.body.model).toBe('player-pick');
    expect(third.result.usage.byok).toBeUndefined();
  });

  it("an Anthropic narrator on the player's own key (the server has none); the judge stays on the server's OpenAI key", async () => {
    const me = await signUserToken(SECRET);
    expect((await as(me)('PUT', '/api/me/provider-keys/anthropic', { api_key: 'sk-ant-player-0000-abcd' })).status).toBe(200);
    expect((await as(me)('PUT', '/api/me/settings', { narrator_model: 'anthropic:player-claude' })).status).toBe(200);
    const before = claude.requests.length;
    const turn = await playTurn(me);
    const narrations = claude.requests.slice(before);
    expect(narrations).toHaveLength(1);
    expect({ key: narrations[0]!.headers['x-api-key'], model: narrations[0]!.body.model }).toEqual({ key: 'sk-ant-player-0000-abcd', model: 'player-claude' });
    expect(turn.result.response).toContain('Claude tells it');
    expect(turn.requests.map((r) => r.headers.authorization)).toEqual(turn.requests.map(() => `Bearer ${SERVER_KEY}`));
    const calls = turn.result.usage.calls as { role: string; byok?: boolean; inputTokens?: number; outputTokens?: number }[];
    const narrator = calls.find((c) => c.role === 'narrator')!;
    expect(narrator.byok).toBe(true);
    expect(calls.filter((c) => c.role !== 'narrator').every((c) => c.byok === undefined)).toBe(true);
    expect(turn.result.usage.byokTokens).toBe((narrator.inputTokens ?? 0) + (narrator.outputTokens ?? 0));
    // The server's spend leaves out what the player paid for.
    const stats = await api(server.url, 'byok-admin-token-0123456789abcdef')('GET', '/admin/stats');
    const models = stats.body.spend_today.by_model.map((m: { model: string }) => m.model);
    expect(models).toContain('server-judge');
    expect(models).not.toContain('player-claude');
  });

  it('the stored key is sealed: no plaintext, not even a part of it, in the database', async () => {
    expect((await as(player)('PUT', '/api/me/provider-keys/openai', { api_key: PLAYER_KEY })).status).toBe(200);
    const rows = await server.runtime.deps.store.settings.listKeys(player.userId);
    expect(rows).toHaveLength(1);
    const raw = [JSON.stringify(rows)];
    if (target.name === 'postgres') {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      try {
        const schema = server.runtime.env.DATABASE_SCHEMA!;
        raw.push(JSON.stringify((await client.query(`select * from "${schema}".provider_keys`)).rows));
      } finally {
        await client.end();
      }
    }
    // Every 6-character piece of the key past its public prefix: none may be stored.
    const secretPart = PLAYER_KEY.slice('sk-player-'.length);
    for (const text of raw) {
      for (let i = 0; i + 6 <= secretPart.length; i++) expect(text).not.toContain(secretPart.slice(i, i + 6));
      expect(text).toContain('sk-…4Rw8Ys'.slice(-4));
    }
  });
});
