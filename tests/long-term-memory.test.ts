/**
 * Long-term memory through the real turn pipeline (offline models), on PGlite and PostgreSQL:
 * an early fact is recalled hundreds of turns later, rolling summaries keep every prompt within
 * its budget, story cards enter by keyword, regex and similarity, and the player's edits count
 * from the next turn. Turns run through runTurn directly (not the queue) to keep 300 turns fast;
 * everything else (store, models, context builder) is the production path.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryScoreTrace } from '../src/domain/ports/memory.js';
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
import { dbTargets } from './support/test-env.js';

const STORY = readFileSync(new URL('./fixtures/long-watch.ink', import.meta.url), 'utf8');
const OWNER = 'rememberer';
const BUDGET = 2000;

const FILLER = [
  'I hum a quiet tune to myself',
  'I count the gulls on the railing',
  'I wipe the fog from the window',
  'I stretch my aching shoulders',
  'I listen to the waves below',
  'I check the clock on the wall',
  'I sip cold tea from a chipped mug',
  'I watch the clouds drift east',
  'I tap my fingers on the table',
  'I yawn and rub my eyes',
  'I sweep sand from the floor',
  'I fold the damp blanket',
];

interface Trace {
  memories: MemoryScoreTrace[];
  recall: { cards: { name: string; similarity: number | null; activatedBySimilarity: boolean }[]; summaryThroughTurn: number | null };
  narrator: { request: { totalTokens: number; messages: { role: string; content: string }[]; sections: { name: string; tokens: number }[] } };
}

describe.each(dbTargets())('long-term memory [$name]', (target) => {
  let rt: Runtime;
  let storyId: string;

  beforeAll(async () => {
    rt = await createRuntime(target.env({ NARRATOR_CONTEXT_TOKENS: String(BUDGET), SUMMARY_EVERY_TURNS: '20', HISTORY_TURNS: '6' }), { logger: silentLogger(), installStories: false });
    storyId = (await rt.service.installStory({ source: STORY, slug: 'long-watch', ownerId: null })).id;
  });
  afterAll(async () => {
    await rt?.close();
    await target.cleanup();
  });

  async function turn(sessionId: string, input: string) {
    const job = { taskId: randomUUID(), sessionId, ownerId: OWNER, input, action: 'do' as const, enqueuedAt: Date.now() };
    const result = await runTurn(rt.deps, job, { attempt: 1, finalAttempt: true, signal: new AbortController().signal });
    const trace = (await rt.deps.store.turns.getTrace(sessionId, result.turnNo)) as Trace;
    return { result, trace, prompt: trace.narrator.request.messages.find((m) => m.role === 'user')!.content };
  }

  it('recalls a fact from turn 2 at turn 200, and 300 turns stay within the prompt budget thanks to summaries', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    await turn(session.id, FILLER[0]!);
    await turn(session.id, 'I tell Mara that the silver key is hidden under the loose hearthstone');
    let maxTokens = 0;
    for (let n = 3; n <= 300; n++) {
      const input = n === 200 ? 'Where did I hide the silver key?' : FILLER[n % FILLER.length]!;
      const { trace, prompt } = await turn(session.id, input);
      maxTokens = Math.max(maxTokens, trace.narrator.request.totalTokens);
      expect(trace.narrator.request.totalTokens).toBeLessThanOrEqual(BUDGET);
      if (n === 200) {
        const fact = trace.memories.find((m) => m.text.includes('hearthstone'));
        expect(fact, JSON.stringify(trace.memories.map((m) => [m.text.slice(0, 40), m.score]))).toMatchObject({ turnNo: 2, reason: 'top_k' });
        expect(fact!.recency).toBeCloseTo(0.99 ** 198, 6);
        expect(prompt).toContain('hearthstone');
      }
      if (n > 20) {
        expect(trace.recall.summaryThroughTurn).not.toBeNull();
        expect(prompt).toContain('<story_so_far>');
      }
    }
    const summaries = await rt.deps.store.memories.list(session.id, { kind: 'summary' });
    // Folded at turns 20, 40, …, 300, each through turn − 6.
    expect(summaries.map((m) => m.turnNo)).toEqual(Array.from({ length: 15 }, (_, i) => 20 * (i + 1) - 6));
    expect(summaries.every((m) => m.text.length <= 1500)).toBe(true);
    expect(maxTokens).toBeGreaterThan(BUDGET / 2);
  }, 120_000);

  it('rolling summaries follow the timeline: hidden once undone past, and made again on the new branch', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    for (let n = 1; n <= 20; n++) await turn(session.id, FILLER[n % FILLER.length]!);
    const [first] = await rt.deps.store.memories.list(session.id, { kind: 'summary' });
    expect(first).toMatchObject({ turnNo: 14 });
    for (let i = 0; i < 7; i++) await rt.service.timeline.undo(OWNER, session.id);
    const branch = await turn(session.id, 'I tell Mara that the lamp is broken');
    expect(branch.result.turnNo).toBe(14);
    // The summary covered turn 14 of the old branch: not recalled, and gone with that branch.
    expect(branch.trace.recall.summaryThroughTurn).toBeNull();
    expect(branch.trace.memories.every((m) => m.turnNo <= 13)).toBe(true);
    expect(await rt.deps.store.memories.list(session.id, { kind: 'summary' })).toEqual([]);
    for (let n = 15; n <= 20; n++) await turn(session.id, FILLER[n % FILLER.length]!);
    const [second] = await rt.deps.store.memories.list(session.id, { kind: 'summary' });
    expect(second).toMatchObject({ turnNo: 14 });
    expect(second!.text).toContain('lamp is broken');
    expect(first!.text).not.toContain('lamp is broken');
  });

  it('activates story cards by keyword, by regex and by similarity to the scene', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    expect((await turn(session.id, 'I wave to Mara')).prompt).toMatch(/<story_cards>[\s\S]*\[Mara\]/);
    expect((await turn(session.id, 'I look for the lightkeeper')).prompt).toMatch(/\[Mara\]/);
    // Recent text counts: the turn after a mention still has the card, the one after that not.
    expect((await turn(session.id, 'I hum a quiet tune')).prompt).toContain('[Mara]');
    expect((await turn(session.id, 'I hum a quiet tune')).prompt).not.toContain('<story_cards>');
    await rt.service.memory.addCard(OWNER, { sessionId: session.id }, { name: 'The harbour', keywords: ['xyzzy'], text: 'fishing boats, nets, gulls, the smell of tar at the harbour' });
    const near = await turn(session.id, 'I watch the fishing boats and the gulls at the harbour');
    const harbour = near.trace.recall.cards.find((c) => c.name === 'The harbour')!;
    expect(harbour.activatedBySimilarity, `similarity ${harbour.similarity}`).toBe(true);
    expect(near.prompt).toContain('[The harbour]');
    await turn(session.id, 'I hum a quiet tune');
    const far = await turn(session.id, 'I hum a quiet tune');
    expect(far.trace.recall.cards.find((c) => c.name === 'The harbour')!.activatedBySimilarity).toBe(false);
    expect(far.prompt).not.toContain('[The harbour]');
  });

  it("the player's additions, edits, pins and deletions count from the next turn", async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    const svc = rt.service.memory;
    const added = await svc.addMemory(OWNER, session.id, { text: 'The ferry leaves at dawn', importance: 8 });
    let t = await turn(session.id, 'When does the ferry leave?');
    expect(t.trace.memories.map((m) => m.id)).toContain(added.id);
    expect(t.prompt).toContain('The ferry leaves at dawn');
    await svc.updateMemory(OWNER, session.id, added.id, { text: 'The ferry leaves at dusk' });
    t = await turn(session.id, 'When does the ferry leave?');
    expect(t.prompt).toContain('The ferry leaves at dusk');
    expect(t.prompt).not.toContain('at dawn');
    const pinned = await svc.addMemory(OWNER, session.id, { text: 'My name is Ada Quill', importance: 1, pinned: true });
    for (const f of FILLER.slice(0, 3)) await turn(session.id, f);
    t = await turn(session.id, 'I count the gulls on the railing');
    expect(t.trace.memories.find((m) => m.id === pinned.id)).toBeDefined();
    expect(t.prompt).toContain('Ada Quill');
    await svc.deleteMemory(OWNER, session.id, added.id);
    await svc.updateMemory(OWNER, session.id, pinned.id, { pinned: false });
    t = await turn(session.id, 'When does the ferry leave?');
    expect(t.prompt).not.toContain('The ferry leaves');
    await expect(svc.deleteMemory(OWNER, session.id, added.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses bad input with clear errors', async () => {
    const { session } = await rt.service.startSession(OWNER, storyId);
    const svc = rt.service.memory;
    await expect(svc.addMemory(OWNER, session.id, { text: '   ' })).rejects.toMatchObject({ code: 'bad_request', details: [{ path: 'text' }] });
    await expect(svc.addMemory(OWNER, session.id, { text: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(svc.addMemory('someone-else', session.id, { text: 'hi' })).rejects.toMatchObject({ code: 'session_not_found' });
    await expect(svc.addMemory(OWNER, 'no-such-session', { text: 'hi' })).rejects.toMatchObject({ code: 'session_not_found' });
    await expect(svc.addCard(OWNER, { storyId }, { name: 'x', keywords: [], text: 'y' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(svc.addCard(OWNER, { sessionId: session.id }, { name: 'x', keywords: Array(33).fill('k'), text: 'y' })).rejects.toMatchObject({ code: 'bad_request' });
    await svc.deleteSession(OWNER, session.id);
    await expect(rt.service.getSession(OWNER, session.id)).rejects.toMatchObject({ code: 'session_not_found' });
    expect(await rt.deps.store.memories.list(session.id)).toEqual([]);
  });
});
