import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEmbedder } from './embedder.js';
import { cosine, hashEmbedding } from './offline/offline-embedding-model.js';
import { createOfflineProvider } from './offline/offline-provider.js';

const provider = createOfflineProvider();
const embedder = createEmbedder({ model: provider.embeddingModel('offline-embedding'), dimensions: 256 });

describe('createEmbedder with the offline model', () => {
  it('embeds exactly as it always has: the vectors already stored in a database stay comparable', () => {
    // Fingerprints of the float64 vectors, taken before the trigram hashing stopped building a
    // string per trigram. A change here means stored memories no longer match new queries.
    const fingerprint = (text: string) => createHash('sha256').update(Float64Array.from(hashEmbedding(text))).digest('hex').slice(0, 16);
    expect(fingerprint('The keeper lit the lamp')).toBe('68c4f46901aaf120');
    expect(fingerprint('守塔人答应点亮灯')).toBe('713b7722d99d6c1b');
    expect(fingerprint('naïve café 😀 x')).toBe('3dad0c0abdae01ad');
    expect(fingerprint('!!!')).toBe('4846a82844ad5322');
  });

  it('returns deterministic unit vectors of the configured dimension', async () => {
    const [a, b] = await embedder.embed(['The keeper lit the lamp', 'The keeper lit the lamp']);
    expect(a).toHaveLength(256);
    expect(b).toEqual(a);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 9);
    expect(embedder.modelId).toBe('offline-embedding');
    expect(await embedder.embed([])).toEqual([]);
  });

  it('ranks related English text above unrelated text', async () => {
    const [q, near, far] = await embedder.embed([
      'the keeper promised to light the lamp',
      'The keeper made a promise about lighting the lamp tonight',
      'A gull steals fish at the harbour market',
    ]);
    expect(cosine(q!, near!)).toBeGreaterThan(cosine(q!, far!) + 0.2);
  });

  it('ranks related Chinese text above unrelated text', async () => {
    const [q, near, far] = await embedder.embed(['守塔人答应点亮灯', '守塔人答应今晚点灯', '码头上的海鸥偷鱼']);
    expect(cosine(q!, near!)).toBeGreaterThan(cosine(q!, far!) + 0.2);
  });

  it('gives text without words a unit vector, never a zero vector', () => {
    for (const text of ['', '   ', '!!!', 'I am']) {
      const v = hashEmbedding(text, 64);
      expect(Math.hypot(...v)).toBeCloseTo(1, 9);
    }
    expect(hashEmbedding('', 64)).toEqual(hashEmbedding('  ', 64));
  });

  it('rejects vectors of the wrong dimension as model_output_invalid', async () => {
    const small = createEmbedder({ model: createOfflineProvider({ dimensions: 64 }).embeddingModel(), dimensions: 256 });
    await expect(small.embed(['x'])).rejects.toMatchObject({ code: 'model_output_invalid' });
  });

  it('in process (as the server runs the offline model): the same vectors, in calls of the model batch size, checked the same way', async () => {
    const model = provider.embeddingModel('offline-embedding');
    const calls: number[] = [];
    const counted = { ...model, maxEmbeddingsPerCall: 3, doEmbed: (o: Parameters<typeof model.doEmbed>[0]) => (calls.push(o.values.length), model.doEmbed(o)) };
    const direct = createEmbedder({ model: counted, dimensions: 256, inProcess: true });
    const texts = ['The keeper lit the lamp', '守塔人答应点亮灯', '', 'a', 'b', 'c', 'd'];
    expect(await direct.embed(texts)).toEqual(await embedder.embed(texts));
    expect(calls).toEqual([3, 3, 1]);
    const aborted = new AbortController();
    aborted.abort(new Error('player left'));
    await expect(direct.embed(['x'], { signal: aborted.signal })).rejects.toThrow();
    const small = createEmbedder({ model: createOfflineProvider({ dimensions: 64 }).embeddingModel(), dimensions: 256, inProcess: true });
    await expect(small.embed(['x'])).rejects.toMatchObject({ code: 'model_output_invalid' });
  });

  it('refuses a nonsensical dimension up front', () => {
    expect(() => createEmbedder({ model: provider.embeddingModel(), dimensions: 0 })).toThrow(/positive integer/);
  });
});
