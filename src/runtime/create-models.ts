import type { Env } from '../config/env.js';
import type { Embedder, Judge, Narrator } from '../domain/ports/models.js';
import type { Logger } from '../domain/turn-deps.js';
import { createEmbedder } from '../llm/embedder.js';
import { createJudge } from '../llm/judge.js';
import { createNarrator } from '../llm/narrator.js';
import { createOfflineProvider } from '../llm/offline/offline-provider.js';

export interface Models {
  narrator: Narrator;
  judge: Judge;
  embedder: Embedder;
}

/**
 * The narrator, judge and embedder. With no provider configured these are the offline models,
 * run through the same AI SDK calls a real provider would get.
 */
export function createModels(env: Env, logger: Logger): Models {
  const offline = createOfflineProvider({ chunkDelayMs: env.OFFLINE_CHUNK_DELAY_MS, latencyMs: env.OFFLINE_LATENCY_MS });
  logger.info(
    { narrator: 'offline:offline-narrator', judge: 'offline:offline-judge', embedder: 'offline:offline-embedding' },
    'no model provider configured: using the offline narrator, judge and embedder (deterministic, no API key)',
  );
  const embeddingModel = offline.embeddingModel('offline-embedding');
  return {
    narrator: createNarrator({ model: offline.languageModel('offline-narrator') }),
    judge: createJudge({ model: offline.languageModel('offline-judge') }),
    embedder: createEmbedder({ model: embeddingModel, dimensions: 256 }),
  };
}
