import { describe, expect, it } from 'vitest';
import type { Embedder } from '../domain/ports/embedder.js';
import { BatchingEmbedder } from './batching-embedder.js';
import { createEmbedder } from './embedder.js';
import { createOfflineProvider } from './offline/offline-provider.js';

function offline(): Embedder & { calls: string[][] } {
  const real = createEmbedder({ model: createOfflineProvider().embeddingModel('offline-embedding'), dimensions: 256 });
  const calls: string[][] = [];
  return { calls, modelId: real.modelId, dimensions: real.dimensions, embed: (texts) => (calls.push(texts), real.embed(texts)) };
}

describe('BatchingEmbedder', () => {
  it('coalesces concurrent calls into one request and gives each caller its own vectors', async () => {
    const inner = offline();
    const batching = new BatchingEmbedder(inner, { windowMs: 5, maxBatch: 100 });
    const inputs = [['a lamp'], ['the sea', '灯塔'], [], ['a key']];
    const results = await Promise.all(inputs.map((t) => batching.embed(t)));
    expect(inner.calls).toEqual([['a lamp', 'the sea', '灯塔', 'a key']]);
    const direct = await offline().embed(['a lamp', 'the sea', '灯塔', 'a key']);
    expect(results).toEqual([[direct[0]], [direct[1], direct[2]], [], [direct[3]]]);
  });

  it('flushes at maxBatch without waiting for the window', async () => {
    const inner = offline();
    const batching = new BatchingEmbedder(inner, { windowMs: 10_000, maxBatch: 3 });
    const started = Date.now();
    await Promise.all([batching.embed(['a', 'b']), batching.embed(['c'])]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(inner.calls).toHaveLength(1);
  });

  it('rejects every caller of a failed batch', async () => {
    const failing: Embedder = { modelId: 'x', dimensions: 2, embed: async () => Promise.reject(new Error('down')) };
    const batching = new BatchingEmbedder(failing, { windowMs: 1, maxBatch: 10 });
    const results = await Promise.allSettled([batching.embed(['a']), batching.embed(['b'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
