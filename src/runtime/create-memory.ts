/**
 * Long-term memory for a process, from configuration, and the background re-embedding job.
 * @module
 */
import type { Env } from '../config/env.js';
import type { LongTermMemory } from '../domain/ports/memory.js';
import type { Summarizer } from '../domain/ports/summarizer.js';
import type { Embedder } from '../domain/ports/embedder.js';
import type { Store } from '../domain/ports/store.js';
import type { Logger } from '../shared/log.js';
import { createLongTermMemory } from '../memory/long-term-memory.js';
import { DEFAULT_MEMORY_SETTINGS, parseWeights, type MemorySettings } from '../memory/memory-settings.js';
import { startReembedding, type ReembedJob } from '../memory/reembed-job.js';

/** The memory settings the environment asks for. */
export function memorySettings(env: Env): MemorySettings {
  return {
    ...DEFAULT_MEMORY_SETTINGS,
    topK: env.MEMORY_TOP_K,
    historyTurns: env.HISTORY_TURNS,
    weights: parseWeights(env.MEMORY_WEIGHTS) ?? DEFAULT_MEMORY_SETTINGS.weights,
    decay: env.MEMORY_DECAY,
    candidates: env.MEMORY_CANDIDATES,
    summaryEveryTurns: env.SUMMARY_EVERY_TURNS,
    cardSimilarity: env.CARD_SIMILARITY,
  };
}

/** Long-term memory, and (for processes that run turns) the re-embedding job for a changed model. */
export function createMemory(env: Env, deps: { store: Store; embedder: Embedder; summarizer: Summarizer; logger: Logger }, runsTurns: boolean): { memory: LongTermMemory; reembed?: ReembedJob } {
  const memory = createLongTermMemory(deps, memorySettings(env));
  return runsTurns ? { memory, reembed: startReembedding(deps) } : { memory };
}
