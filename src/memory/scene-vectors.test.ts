/**
 * The recall's scene vector is kept by text: the scene is the story's own text, so sessions at
 * the same point of a story and turns that take no choice ask for it again. A cached scene must
 * give exactly the recall an uncached one gives, and the cache stays bounded.
 */
import { describe, expect, it } from 'vitest';
import type { Embedder } from '../domain/ports/embedder.js';
import type { RecallQuery } from '../domain/ports/memory.js';
import type { Store } from '../domain/ports/store.js';
import type { Summarizer } from '../domain/ports/summarizer.js';
import { hashEmbedding } from '../llm/offline/offline-embedding-model.js';
import { silentLogger } from '../shared/logger.js';
import { createLongTermMemory, SCENE_CACHE_SIZE } from './long-term-memory.js';

/** The offline model's own embedding, with every call's texts recorded. */
function recordingEmbedder(): Embedder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    modelId: 'offline-embedding',
    dimensions: 256,
    calls,
    embed: (texts: string[]) => {
      calls.push([...texts]);
      return Promise.resolve(texts.map((t) => hashEmbedding(t)));
    },
  };
}

const CARDS = [
  { name: 'Lighthouse', keywords: ['beacon'], text: 'The lighthouse on the northern cliff, its lamp long dark.' },
  { name: 'Harbour', keywords: ['quay'], text: 'Fishing boats moored in the harbour, nets drying on the stones.' },
  { name: '灯塔守人', keywords: ['守人'], text: '灯塔守人每晚点亮灯火，风雨无阻。' },
];

function memoryWith(embedder: Embedder) {
  // Nothing stored: no memories and no API cards, so the store is never read; the story's cards rank by the query.
  return createLongTermMemory({ store: {} as Store, embedder, summarizer: {} as Summarizer, logger: silentLogger() });
}

function query(input: string, storyText: string): RecallQuery {
  return {
    sessionId: 's1',
    storyId: 'story',
    turnNo: 2,
    input,
    storyText,
    storyCards: CARDS,
    preload: { rows: 0, summary: null, cards: { count: 0, signature: '0::0' } },
  };
}

const SCENE = 'The storm breaks over the harbour. Up on the cliff the lighthouse stands dark.';

/** A memory that has recalled once at `scene` (the story's cards embedded too), its embedder's calls cleared. */
async function primed(scene: string) {
  const embedder = recordingEmbedder();
  const memory = memoryWith(embedder);
  await memory.recall(query('I climb to the lighthouse', scene));
  embedder.calls.length = 0;
  return { embedder, memory };
}
const similarities = (r: Awaited<ReturnType<ReturnType<typeof memoryWith>['recall']>>) => r.trace.cards.map((c) => [c.name, c.similarity]);

describe('the recall keeps scene vectors by text', () => {
  it('embeds a known scene once: later recalls send only the input, and rank exactly as without the cache', async () => {
    const { embedder, memory } = await primed(SCENE);
    const cached = await memory.recall(query('I walk down to the quay', SCENE));
    expect(embedder.calls).toEqual([['I walk down to the quay']]);

    const fresh = await memoryWith(recordingEmbedder()).recall(query('I walk down to the quay', SCENE));
    expect(similarities(cached)).toEqual(similarities(fresh));
    expect(cached.cards).toEqual(fresh.cards);
  });

  it('an empty input with a known scene needs no embedding at all', async () => {
    const { embedder, memory } = await primed(SCENE);
    const cached = await memory.recall(query('   ', SCENE));
    expect(embedder.calls).toEqual([]);
    expect(similarities(cached)).toEqual(similarities(await memoryWith(recordingEmbedder()).recall(query('', SCENE))));
  });

  it('a new scene is embedded together with the input, in one call (CJK text included)', async () => {
    const { embedder, memory } = await primed(SCENE);
    await memory.recall(query('我去找灯塔守人', '夜里下着大雨，灯塔的灯没有亮。'));
    expect(embedder.calls).toEqual([['我去找灯塔守人', '夜里下着大雨，灯塔的灯没有亮。']]);
  });

  it(`holds at most ${SCENE_CACHE_SIZE} scenes: the least recently used goes first`, async () => {
    const embedder = recordingEmbedder();
    const memory = memoryWith(embedder);
    await memory.recall(query('a', 'scene 0'));
    await memory.recall(query('a', 'scene 1'));
    // Scene 0 is used again, so scene 1 is now the oldest.
    await memory.recall(query('a', 'scene 0'));
    for (let i = 2; i < SCENE_CACHE_SIZE + 1; i++) await memory.recall(query('a', `scene ${i}`));
    embedder.calls.length = 0;
    await memory.recall(query('b', 'scene 0'));
    await memory.recall(query('c', 'scene 1'));
    expect(embedder.calls).toEqual([['b'], ['c', 'scene 1']]);
  });
});
