/**
 * Deterministic replay: every shipped story played 10 turns against the fake HTTP model provider,
 * then re-run from the recordings alone. Identical; a changed answer diverges at its turn and
 * field; a bundle replays with a bare story engine (no database, no models).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayBundle, replayFromBundle, replaySession, sessionRecordings, whatIfSession } from '../src/domain/replay-service.js';
import { replayRecordings } from '../src/domain/replay.js';
import { loadStoryRuntime } from '../src/domain/load-story.js';
import { InkStoryEngine } from '../src/engine/ink/ink-story-engine.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import { silentLogger } from '../src/shared/logger.js';
import type { FakeRequest } from './support/fake-llm/common.js';
import { startFakeOpenAI } from './support/fake-llm/openai-fake.js';
import { runCli } from './support/cli-process.js';
import { dbTargets, eventually } from './support/test-env.js';

const STORIES = readdirSync(new URL('../stories/', import.meta.url)).filter((f) => f.endsWith('.ink'));
const OWNER = 'player-1';
const SECRET = 'sk-replay-secret-0123456789';
const isJudge = (req: FakeRequest) => req.body.response_format !== undefined || req.body.tools !== undefined;

/** The judge takes the first choice on offer every other turn, and remembers something each turn. */
function judgeReply(req: FakeRequest, n: number) {
  const text = JSON.stringify(req.body.messages);
  const offer = /choices_on_offer>(?:\\n)*\[(\d+)\]/.exec(text);
  const choiceIndex = offer && n % 2 === 0 ? Number(offer[1]) : null;
  return { json: { choiceIndex, variableUpdates: [], memories: [{ text: `記憶 ${n}: the turn went on`, importance: 3 }], summary: `Turn ${n}.` } };
}

describe.each(dbTargets())('replay [$name]', (target) => {
  let rt: Runtime;
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  const sessions: { story: string; id: string; storyId: string; source: string }[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    let judged = 0;
    fake.respond((req) => (isJudge(req) ? judgeReply(req, judged++) : { text: '霧が立ちこめる。 The fog rolls in, slow.', chunks: ['霧が', '立ちこめる。', ' The fog rolls in,', ' slow.'] }));
    rt = await createRuntime(target.env({ COMPAT_BASE_URL: fake.baseURL, NARRATOR_MODEL: 'compat:story-model', JUDGE_MODEL: 'compat:judge-model', COMPAT_API_KEY: SECRET }), { logger: silentLogger(), installStories: false });
    for (const file of STORIES) {
      const source = readFileSync(new URL(`../stories/${file}`, import.meta.url), 'utf8');
      const story = await rt.service.installStory({ source, slug: file.replace('.ink', ''), ownerId: OWNER });
      const { session } = await rt.service.startSession(OWNER, story.id);
      for (let i = 0; i < 10; i++) {
        const task = await rt.service.submitAction({ ownerId: OWNER, sessionId: session.id, input: `I wait, look around and act (${i})`, action: 'do' });
        const status = await eventually(async () => {
          const s = await rt.service.getTask(task.taskId);
          return s.state === 'completed' || s.state === 'failed' ? s : undefined;
        });
        expect(status.state).toBe('completed');
        if (status.result?.updated_state.ended) break;
      }
      sessions.push({ story: file, id: session.id, storyId: story.id, source });
    }
  }, 120_000);
  afterAll(async () => {
    await rt?.close();
    await fake?.close();
    await target.cleanup();
  });

  it('replays every shipped story identically from its recordings', async () => {
    expect(sessions.length).toBe(STORIES.length);
    for (const s of sessions) {
      const report = await replaySession(rt.deps, s.id, {});
      expect(report, s.story).toEqual({ turns: 10, identical: true, first_divergence: null });
    }
  });

  it('reports the turn and field where a changed recorded answer diverges', async () => {
    const recordings = await sessionRecordings(rt.deps, sessions[0]!.id, {});
    const changed = structuredClone(recordings);
    const call = changed[3]!.judge[0] as { raw: { memories: { text: string }[] } };
    call.raw.memories[0]!.text = 'Something else was remembered';
    const runtime = (storyId: string, hash: string) => loadStoryRuntime(rt.deps, storyId, hash);
    const report = await replayRecordings(changed, { runtime });
    expect(report.identical).toBe(false);
    expect(report.first_divergence).toMatchObject({ turn: 4, field: 'decision.memories.0.text', expected: '記憶 3: the turn went on', actual: 'Something else was remembered' });

    const narration = structuredClone(recordings);
    narration[6]!.narrator.deltas[0] = '雨が';
    expect((await replayRecordings(narration, { runtime })).first_divergence).toMatchObject({ turn: 7, field: 'narration' });
  });

  it('replays a range only, and leaves the session as it was', async () => {
    const before = await rt.service.getSession(OWNER, sessions[1]!.id);
    expect(await replaySession(rt.deps, sessions[1]!.id, { from: 3, to: 5 })).toEqual({ turns: 3, identical: true, first_divergence: null });
    const after = await rt.service.getSession(OWNER, sessions[1]!.id);
    expect(after.version).toBe(before.version);
    expect(after.inkState).toBe(before.inkState);
  });

  it('what-if on a later version of the story names the first turn that differs', async () => {
    const s = sessions[0]!;
    const recordings = await sessionRecordings(rt.deps, s.id, {});
    // A line the player saw at a later turn (not the first), edited in version 2.
    const shown = recordings.slice(1).flatMap((r) => r.outcome.view.text.split('\n')).map((l) => l.trim()).find((l) => l.length > 12 && s.source.includes(l))!;
    expect(shown).toBeDefined();
    const expected = recordings.find((r) => r.outcome.view.text.includes(shown))!.turnNo;
    await rt.service.updateStorySource(OWNER, s.storyId, { source: s.source.replace(shown, `改稿 ${shown}`) });
    const same = await whatIfSession(rt.deps, s.id, {}, { storyVersion: '1' });
    expect(same.first_difference).toBeNull();
    const report = await whatIfSession(rt.deps, s.id, {}, { storyVersion: '2' });
    expect(report.first_difference).toBe(expected);
    const turn = report.diff.find((d) => d.turn === expected)!;
    expect(turn.passage.replayed).toContain(`改稿 ${shown}`);
    expect(turn.passage.recorded).not.toContain('改稿');
    expect(report.diff.filter((d) => d.turn < expected).every((d) => !d.differs)).toBe(true);
    // Replays never change the session: it still plays version 1.
    expect((await rt.service.getSession(OWNER, s.id)).storyVersion).toBe(recordings[0]!.storyVersion);
  });

  it('replays a bundle offline: a bare story engine, no database, no model', async () => {
    const requests = fake.requests.length;
    for (const s of sessions) {
      const bundle = JSON.parse(JSON.stringify(await replayBundle(rt.deps, s.id)));
      expect(JSON.stringify(bundle)).not.toContain(OWNER);
      expect(JSON.stringify(bundle)).not.toContain(SECRET);
      expect(bundle.turns[0]).toMatchObject({ promptVersion: expect.any(String), codeVersion: expect.stringMatching(/^mock-drama@/), before: { seed: expect.any(Number) } });
      expect(await replayFromBundle(new InkStoryEngine(), bundle)).toEqual({ turns: 10, identical: true, first_divergence: null });
    }
    expect(fake.requests.length).toBe(requests);
  });

  it.runIf(target.name === 'pglite')('`mock-drama replay bundle.json` prints the same report, offline; a tampered bundle exits 1 at its divergence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-bundle-'));
    try {
      const bundle = await replayBundle(rt.deps, sessions[0]!.id);
      writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
      // Nowhere to connect to: the replay must need neither a database nor a model.
      const offline = { DATABASE_URL: 'postgres://127.0.0.1:9/none', COMPAT_BASE_URL: 'http://127.0.0.1:9', NARRATOR_MODEL: 'compat:x' };
      const ok = await runCli(['replay', join(dir, 'bundle.json')], offline);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toEqual({ turns: 10, identical: true, first_divergence: null });
      bundle.turns[1]!.narrator.deltas = ['別の', '話。'];
      writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
      const bad = await runCli(['replay', join(dir, 'bundle.json')], offline);
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout).first_divergence).toMatchObject({ turn: 2, field: 'narration', actual: '別の話。' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(target.name === 'postgres')('`mock-drama replay --session` replays from the database; with --story-version it prints the what-if diff', async () => {
    const db = { DATABASE_URL: rt.env.DATABASE_URL!, DATABASE_SCHEMA: rt.env.DATABASE_SCHEMA!, DATA_DIR: ':memory:', JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789' };
    const plain = await runCli(['replay', '--session', sessions[1]!.id, '--from', '2', '--to', '4'], db);
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual({ turns: 3, identical: true, first_divergence: null });
    const whatIf = await runCli(['replay', '--session', sessions[0]!.id, '--story-version', '2'], db);
    expect(whatIf.code, whatIf.stderr).toBe(0);
    expect(JSON.parse(whatIf.stdout)).toMatchObject({ turns: 10, live: false, first_difference: expect.any(Number) });
    expect((await runCli(['replay', '--session', sessions[1]!.id, '--from', '0'], db)).code).not.toBe(0);
  });

  it('TRACE_RETENTION_DAYS: recordings and traces of older turns are cleared, the turns stay (runs last)', async () => {
    const s = sessions[0]!;
    expect(await rt.deps.store.turns.forgetRecordings(new Date(Date.now() - 86_400_000))).toBe(0);
    expect(await rt.deps.store.turns.forgetRecordings(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(20);
    expect((await rt.deps.store.turns.recordings(s.id, {})).map((r) => r.recording)).toEqual(Array(10).fill(null));
    expect(await replaySession(rt.deps, s.id, {})).toEqual({ turns: 0, identical: true, first_divergence: null });
    expect((await rt.service.getSession(OWNER, s.id)).turnNo).toBe(10);
  });
});
