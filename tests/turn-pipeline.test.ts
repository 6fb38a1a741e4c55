import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TurnEvent } from '../src/domain/ports/event-bus.js';
import type { Judge } from '../src/domain/ports/judge.js';
import { DramaService } from '../src/domain/drama-service.js';
import { turnCancelled } from '../src/domain/errors.js';
import { runTurn as runCommitted } from '../src/domain/run-turn.js';
import type { TurnDeps } from '../src/domain/turn-deps.js';
import type { JobContext, TurnJob } from '../src/domain/ports/turn-queue.js';

/** A turn through its commit and announcement, as a worker runs it (without the queue). */
async function runTurn(deps: TurnDeps, job: TurnJob, ctx: JobContext) {
  const committed = await runCommitted(deps, job, ctx);
  await committed.announce();
  return committed.result;
}
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import { silentLogger } from '../src/shared/logger.js';
import { dbTargets, eventually } from './support/test-env.js';

const VAULT = readFileSync(new URL('./fixtures/vault.ink', import.meta.url), 'utf8');
const OWNER = 'player-1';

describe.each(dbTargets())('turn pipeline [$name]', (target) => {
  let rt: Runtime;
  let storyId: string;

  beforeAll(async () => {
    rt = await createRuntime(target.env(), { logger: silentLogger(), installStories: false });
    storyId = (await rt.service.installStory({ source: VAULT, slug: 'vault', ownerId: null })).id;
  });
  afterAll(async () => {
    await rt?.close();
    await target.cleanup();
  });

  async function play(sessionId: string, input: string) {
    const task = await rt.service.submitAction({ ownerId: OWNER, sessionId, input, action: 'do' });
    return eventually(async () => {
      const s = await rt.service.getTask(task.taskId);
      return s.state === 'completed' || s.state === 'failed' ? s : undefined;
    });
  }

  it('plays a turn end to end: events in order, state advanced, turn committed', async () => {
    const { session, opening } = await rt.service.startSession(OWNER, storyId);
    expect(opening.updated_state.text).toContain('A cold hall');
    const events: TurnEvent[] = [];
    await rt.deps.bus.subscribe(session.id, (e) => events.push(e));
    const status = await play(session.id, 'I light the old brass lamp');
    expect(status.state).toBe('completed');
    // The status is read from the committed row, which can be a moment ahead of the announcement.
    await eventually(() => (events.some((e) => e.type === 'turn.completed') ? true : undefined));
    const result = status.result!;
    expect(result.turnNo).toBe(1);
    expect(result.decision.choiceIndex).toBe(0);
    expect(result.response.length).toBeGreaterThan(0);
    expect(result.updated_state.text).toContain('The lamp flares');
    expect(result.updated_state.variables.lamp_lit).toBe(true);
    for (const stage of ['load', 'narrate', 'judge', 'apply', 'commit', 'total'] as const) expect(result.timings[stage]).toBeGreaterThanOrEqual(0);

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('turn.started');
    expect(types.filter((t) => t === 'narration.delta').length).toBeGreaterThan(1);
    expect(types.slice(-2)).toEqual(['turn.decision', 'turn.completed']);
    for (let i = 1; i < events.length; i++) expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id);
    const streamed = events.flatMap((e) => (e.type === 'narration.delta' ? [e.text] : [])).join('');
    expect(streamed.trim()).toBe(result.response);

    const after = await rt.service.getSession(OWNER, session.id);
    expect(after.turnNo).toBe(1);
    expect(after.version).toBe(session.version + 1);
    expect(after.view.variables.lamp_lit).toBe(true);
    const turns = await rt.service.listTurns(OWNER, session.id, { limit: 10 });
    expect(turns.map((t) => t.turnNo)).toEqual([0, 1]);
    // Once turn.completed is out, the stored timings are final (the status may be read a moment
    // earlier, straight from the committed row).
    const announced = events.find((e) => e.type === 'turn.completed');
    expect(announced?.type === 'turn.completed' && turns[1]!.timings.commit).toBe(announced?.type === 'turn.completed' && announced.result.timings.commit);
  });

  it('records usage and a context trace per turn; totals add up per session and user', async () => {
    const owner = `usage-${target.name}`;
    const { session } = await rt.service.startSession(owner, storyId);
    const results = [];
    for (const input of ['hum a tune', 'light the old brass lamp']) {
      const task = await rt.service.submitAction({ ownerId: owner, sessionId: session.id, input, action: 'do' });
      results.push((await eventually(async () => {
        const s = await rt.service.getTask(task.taskId);
        return s.state === 'completed' ? s : undefined;
      })).result!);
    }
    for (const r of results) {
      expect(r.usage?.calls.map((c) => c.role)).toEqual(['narrator', 'judge']);
      expect(r.usage!.inputTokens).toBeGreaterThan(0);
      expect(r.usage!.outputTokens).toBeGreaterThan(0);
      expect(r.usage!.costUsd).toBe(0); // offline models are free
    }
    const tokens = results.reduce((n, r) => n + r.usage!.inputTokens + r.usage!.outputTokens, 0);
    expect(await rt.service.usage(owner, session.id)).toEqual({ session: { turns: 2, tokens, costUsd: 0, byokTokens: 0 } });
    const mine = (await rt.service.usage(owner)) as { today: { tokens: number }; total: { tokens: number } };
    expect(mine.today.tokens).toBe(tokens);
    expect(mine.total.tokens).toBe(tokens);
    const trace = (await rt.service.trace(owner, session.id, 2)) as { judge: { answers: unknown[] }; narrator: { modelId: string } };
    expect(trace.narrator.modelId).toBe('offline-narrator');
    expect(trace.judge.answers).toHaveLength(1);
    await expect(rt.service.trace('someone-else', session.id, 2)).rejects.toMatchObject({ code: 'session_not_found' });
  });

  it('refuses actions with budget_exceeded once the daily token budget is spent, before any model call', async () => {
    const owner = `budget-${target.name}`;
    const { session } = await rt.service.startSession(owner, storyId);
    const limited = new DramaService(rt.deps, rt.queue, { maxInputChars: 4000, dailyTokenBudget: 1 });
    const first = await limited.submitAction({ ownerId: owner, sessionId: session.id, input: 'hum a tune', action: 'do' });
    await eventually(async () => ((await rt.service.getTask(first.taskId)).state === 'completed' ? true : undefined));
    const err = await limited.submitAction({ ownerId: owner, sessionId: session.id, input: 'again', action: 'do' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'budget_exceeded' });
    expect(err.details.retry_after_seconds).toBeGreaterThan(0);
    expect((await rt.service.getSession(owner, session.id)).turnNo).toBe(1);
  });

  it('waits (no choice) on input unrelated to the offer, and records it as a turn', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    // A step that takes no choice and writes no variable leaves ink as it stood: ink is not run.
    const before = (await rt.deps.store.sessions.getSession(session.id))!;
    const runtime = rt.deps.engine.cached(storyId, before.storyVersion)!;
    const advance = vi.spyOn(runtime, 'advance');
    const status = await play(session.id, 'I hum a quiet tune to myself');
    expect(status.result?.decision).toMatchObject({ choiceIndex: null, variableUpdates: [] });
    expect(advance).not.toHaveBeenCalled();
    advance.mockRestore();
    const after = await rt.service.getSession(OWNER, session.id);
    expect(after.turnNo).toBe(1);
    expect(after.view).toEqual(session.view);
    expect((await rt.deps.store.sessions.getSession(session.id))!.inkState).toBe(before.inkState);
    // The next turn takes a choice from that same state: ink runs and the story moves on.
    const next = await play(session.id, 'I light the old brass lamp');
    expect(next.result?.decision.choiceIndex).toBe(0);
    expect(next.result?.updated_state.text).toContain('The lamp flares');
  });

  it('reaches an ending and refuses further actions', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    const status = await play(session.id, 'leave the vault through the front door');
    expect(status.result?.updated_state.ended).toBe(true);
    const after = await rt.service.getSession(OWNER, session.id);
    expect(after.status).toBe('ended');
    await expect(rt.service.submitAction({ ownerId: OWNER, sessionId: session.id, input: 'again', action: 'do' })).rejects.toMatchObject({ code: 'story_ended' });
  });

  it("hides other owners' sessions", async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    await expect(rt.service.getSession('someone-else', session.id)).rejects.toMatchObject({ code: 'session_not_found' });
    await expect(rt.service.submitAction({ ownerId: 'someone-else', sessionId: session.id, input: 'x', action: 'do' })).rejects.toMatchObject({ code: 'session_not_found' });
  });

  const garbage: [string, unknown][] = [
    ['wrong types', { choiceIndex: 'zero', variableUpdates: 'none', memories: null, summary: 5 }],
    ['a choice not on offer', { choiceIndex: 99, variableUpdates: [], memories: [], summary: 's' }],
    ['an unknown variable', { choiceIndex: null, variableUpdates: [{ name: 'health', value: 3 }], memories: [], summary: 's' }],
    ['a read-only variable', { choiceIndex: null, variableUpdates: [{ name: 'name', value: 'Bob' }], memories: [], summary: 's' }],
    ['an ill-typed variable', { choiceIndex: null, variableUpdates: [{ name: 'gold', value: 'lots' }], memories: [], summary: 's' }],
    ['a fractional int', { choiceIndex: null, variableUpdates: [{ name: 'gold', value: 2.5 }], memories: [], summary: 's' }],
    ['no object at all', 'I think they chose the lamp'],
  ];

  it.each(garbage)('a judge returning %s leaves the session byte-for-byte unchanged', async (_label, raw) => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    const before = JSON.stringify(await rt.deps.store.sessions.getSession(session.id));
    const garbageJudge: Judge = { judge: async () => ({ raw, info: { modelId: 'garbage' } }) };
    const job: TurnJob = { taskId: `garbage-${session.id}`, sessionId: session.id, ownerId: OWNER, input: 'light the lamp', action: 'do', enqueuedAt: Date.now() };
    const deps = { ...rt.deps, judge: garbageJudge };
    await expect(runTurn(deps, job, { attempt: 1, finalAttempt: true, signal: new AbortController().signal })).rejects.toMatchObject({
      code: 'judge_invalid_decision',
      retryable: false,
    });
    expect(JSON.stringify(await rt.deps.store.sessions.getSession(session.id))).toBe(before);
    expect(await rt.deps.store.turns.getTurnByTask(job.taskId)).toBeNull();
    expect((await rt.deps.store.turns.listTurns(session.id, { limit: 10 })).map((t) => t.turnNo)).toEqual([0]);
  });

  it('running the same turn again after it committed writes nothing and returns the committed result', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    const job: TurnJob = { taskId: `retry-${session.id}`, sessionId: session.id, ownerId: OWNER, input: 'light the lamp', action: 'do', enqueuedAt: Date.now() };
    const ctx = { attempt: 1, finalAttempt: false, signal: new AbortController().signal };
    const first = await runTurn(rt.deps, job, ctx);
    const published: TurnEvent[] = [];
    await rt.deps.bus.subscribe(session.id, (e) => published.push(e));
    const second = await runTurn(rt.deps, job, { ...ctx, attempt: 2 });
    expect(second.turnNo).toBe(first.turnNo);
    expect(second.response).toBe(first.response);
    expect(second.decision).toEqual(first.decision);
    // Nothing is written again; clients get the committed result re-announced, nothing else.
    expect(published.map((e) => [e.type, e.turnNo])).toEqual([['turn.completed', first.turnNo]]);
    const turns = await rt.deps.store.turns.listTurns(session.id, { limit: 10 });
    expect(turns.map((t) => t.turnNo)).toEqual([0, 1]);
    expect((await rt.deps.store.sessions.getSession(session.id))?.version).toBe(session.version + 1);
  });

  it('an abort that lands after the model calls but before the commit commits nothing', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    const job: TurnJob = { taskId: `abort-${session.id}`, sessionId: session.id, ownerId: OWNER, input: 'light the lamp', action: 'do', enqueuedAt: Date.now() };
    const controller = new AbortController();
    // The cancel arrives as the judge answers: both model calls are done, the commit is next.
    const judge: Judge = {
      judge: async (...args) => {
        const judged = await rt.deps.judge.judge(...args);
        controller.abort(turnCancelled());
        return judged;
      },
    };
    await expect(runTurn({ ...rt.deps, judge }, job, { attempt: 1, finalAttempt: true, signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect((await rt.deps.store.turns.listTurns(session.id, { limit: 10 })).map((t) => t.turnNo)).toEqual([0]);
    expect(await rt.deps.store.turns.getTurnByTask(job.taskId)).toBeNull();
    expect((await rt.deps.store.sessions.getSession(session.id))?.version).toBe(session.version);
  });

  it('a retry that raced past the idempotency check still commits once (store-level duplicate)', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    const job: TurnJob = { taskId: `race-${session.id}`, sessionId: session.id, ownerId: OWNER, input: 'light the lamp', action: 'do', enqueuedAt: Date.now() };
    const ctx = { attempt: 1, finalAttempt: false, signal: new AbortController().signal };
    // Two workers run the same job at once (a stalled job picked up twice).
    const results = await Promise.allSettled([runTurn(rt.deps, job, ctx), runTurn(rt.deps, job, ctx)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'turn_conflict', retryable: true });
    const turns = await rt.deps.store.turns.listTurns(session.id, { limit: 10 });
    expect(turns.map((t) => t.turnNo)).toEqual([0, 1]);
    const memories = await rt.deps.store.memories.list(session.id);
    expect(new Set(memories.map((m) => m.text)).size).toBe(memories.length);
  });

  it('rejects malformed ink with line numbers and stores nothing', async () => {
    const before = (await rt.service.listStories()).length;
    const bad = '-> start\n=== start ===\nHello {unclosed\n* [Go] -> nowhere\n';
    await expect(rt.service.installStory({ source: bad, slug: 'bad', ownerId: OWNER })).rejects.toMatchObject({
      code: 'ink_compile_error',
      details: expect.arrayContaining([expect.objectContaining({ line: expect.any(Number), message: expect.any(String) })]),
    });
    expect((await rt.service.listStories()).length).toBe(before);
  });
});
