/**
 * Random players on every shipped story, through the real pipeline (offline models, PGlite).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDecision } from '../src/domain/decision.js';
import { isDramaError } from '../src/domain/errors.js';
import type { Judge } from '../src/domain/ports/judge.js';
import { runTurn as runCommitted } from '../src/domain/run-turn.js';
import type { TurnDeps } from '../src/domain/turn-deps.js';
import type { JobContext, TurnJob } from '../src/domain/ports/turn-queue.js';

/** A turn through its commit and announcement, as a worker runs it (without the queue). */
async function runTurn(deps: TurnDeps, job: TurnJob, ctx: JobContext) {
  const committed = await runCommitted(deps, job, ctx);
  await committed.announce();
  return committed.result;
}
import type { ActionKind, Choice } from '../src/domain/types.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import { silentLogger } from '../src/shared/logger.js';
import { dbTargets } from './support/test-env.js';

const SHIPPED = readdirSync('stories').filter((f) => f.endsWith('.ink'));
const TURNS = 50;

type Move = { kind: 'free'; text: string; action: ActionKind } | { kind: 'pick'; which: number; byNumber: boolean };

const freeText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('我要离开这里', '打开门', 'I run away screaming', '2', '0', '-1', '99', '', '   ', '"hello"', '<script>', '\u0000'),
);
const move: fc.Arbitrary<Move> = fc.oneof(
  fc.record({ kind: fc.constant('free' as const), text: freeText, action: fc.constantFrom<ActionKind>('do', 'say', 'story', 'continue') }),
  fc.record({ kind: fc.constant('pick' as const), which: fc.nat(), byNumber: fc.boolean() }),
);

function inputFor(m: Move, offered: Choice[]): { input: string; action: ActionKind } {
  if (m.kind === 'free') return { input: m.text, action: m.action };
  if (offered.length === 0) return { input: 'wait', action: 'continue' };
  const c = offered[m.which % offered.length]!;
  return { input: m.byNumber ? String(c.index + 1) : c.text, action: 'do' };
}

describe('random players on shipped stories', () => {
  const target = dbTargets()[0]!; // PGlite: the pipeline, not the database, is under test here
  let rt: Runtime;
  const storyIds = new Map<string, string>();

  beforeAll(async () => {
    rt = await createRuntime(target.env({ MEMORY_TOP_K: '3' }), { logger: silentLogger() });
    for (const s of await rt.service.listStories()) storyIds.set(`${s.slug}.ink`, s.id);
  });
  afterAll(async () => rt?.close());

  it('ships at least two stories and installs them all', () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(2);
    for (const f of SHIPPED) expect(storyIds.has(f)).toBe(true);
  });

  it.each(SHIPPED)('%s: 50 random turns keep every invariant', async (file) => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(move, { minLength: TURNS, maxLength: TURNS }), async (moves) => {
        run += 1;
        const { session } = await rt.service.startSession(`prop-${run}`, storyIds.get(file)!);
        let current = session;
        for (const [i, m] of moves.entries()) {
          if (current.status === 'ended') break;
          const offered = current.view.choices;
          const { input, action } = inputFor(m, offered);
          const job = { taskId: `${session.id}-${i}`, sessionId: session.id, ownerId: current.ownerId, input, action, enqueuedAt: Date.now() };
          const result = await runTurn(rt.deps, job, { attempt: 1, finalAttempt: true, signal: new AbortController().signal });
          if (result.decision.choiceIndex !== null) expect(offered.map((c) => c.index)).toContain(result.decision.choiceIndex);
          const next = (await rt.deps.store.sessions.getSession(session.id))!;
          expect(next.turnNo).toBe(current.turnNo + 1);
          // The saved ink state reproduces what the player sees.
          const runtime = rt.deps.engine.cached(next.storyId, next.storyVersion)!;
          expect(runtime.view(next.inkState).choices).toEqual(next.view.choices);
          expect(next.view.ended || next.view.choices.length > 0).toBe(true);
          current = next;
        }
        const turns = await rt.deps.store.turns.listTurns(session.id, { limit: 200 });
        expect(turns.map((t) => t.turnNo)).toEqual(turns.map((_, i) => i));
      }),
      { numRuns: 15 },
    );
  });

  it('a judge returning arbitrary decisions never applies an invalid one', async () => {
    const file = SHIPPED[0]!;
    const rawDecision = fc.record({
      choiceIndex: fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 8 })),
      variableUpdates: fc.array(
        fc.record({ name: fc.constantFrom('trust', 'courage', 'has_lantern', 'oil', 'companion', 'nope'), value: fc.oneof(fc.integer({ min: -5, max: 9 }), fc.boolean(), fc.string({ maxLength: 5 }), fc.double()) }),
        { maxLength: 3 },
      ),
      memories: fc.array(fc.record({ text: fc.string({ maxLength: 30 }), importance: fc.integer({ min: -1, max: 12 }) }), { maxLength: 2 }),
      summary: fc.string({ maxLength: 20 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rawDecision, { minLength: 10, maxLength: 10 }), async (decisions) => {
        run += 1;
        const { session } = await rt.service.startSession(`chaos-${run}`, storyIds.get(file)!);
        for (const [i, raw] of decisions.entries()) {
          const before = (await rt.deps.store.sessions.getSession(session.id))!;
          if (before.status === 'ended') break;
          const runtime = rt.deps.engine.cached(before.storyId, before.storyVersion)!;
          let valid = true;
          try {
            validateDecision(raw, before.view.choices, runtime.writableVariables);
          } catch {
            valid = false;
          }
          const judge: Judge = { judge: async () => ({ raw, info: { modelId: 'chaos' } }) };
          const job = { taskId: `${session.id}-c${i}`, sessionId: session.id, ownerId: before.ownerId, input: 'x', action: 'do' as const, enqueuedAt: Date.now() };
          const outcome = await runTurn({ ...rt.deps, judge }, job, { attempt: 1, finalAttempt: true, signal: new AbortController().signal }).then(
            () => 'ok',
            (err) => (isDramaError(err) ? err.code : 'crash'),
          );
          const after = (await rt.deps.store.sessions.getSession(session.id))!;
          if (valid) {
            expect(outcome).toBe('ok');
            expect(after.turnNo).toBe(before.turnNo + 1);
          } else {
            expect(outcome).toBe('judge_invalid_decision');
            expect(JSON.stringify(after)).toBe(JSON.stringify(before));
          }
        }
      }),
      { numRuns: 15 },
    );
  });
});
