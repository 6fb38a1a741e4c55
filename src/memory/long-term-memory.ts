/**
 * The LongTermMemory port: recall for a turn (memories re-ranked by the Generative Agents score,
 * story cards, the rolling summary) and the rolling summary after a commit.
 * Gets the store, embedder and summarizer by constructor; imports only the domain.
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { LongTermMemory, Recall, RecallQuery } from '../domain/ports/memory.js';
import type { Summarizer } from '../domain/ports/summarizer.js';
import { embeddingSpace, type Embedder } from '../domain/ports/embedder.js';
import type { Store } from '../domain/ports/store.js';
import type { Logger } from '../shared/log.js';
import type { HistoryEntry, LoreCard } from '../domain/types.js';
import { cardEmbeddingText } from '../domain/card-text.js';
import { activateCards, type EmbeddedCard } from './card-activation.js';
import { DEFAULT_MEMORY_SETTINGS, type MemorySettings } from './memory-settings.js';
import { combineQuery, sceneText } from './query-vector.js';
import { scoreMemories, selectMemories } from './score-memories.js';
import { summaryDue } from './summary-policy.js';

export interface LongTermMemoryDeps {
  store: Store;
  embedder: Embedder;
  summarizer: Summarizer;
  logger: Logger;
}

/** Embeddings of the cards written in stories, per story version and space: computed once per process. */
const STORY_CARD_CACHE_SIZE = 200;
/** Sessions whose API cards are held (with their signature), least recently read first out. */
const API_CARD_CACHE_SIZE = 2000;
/**
 * Scene vectors held by text, least recently used first out. The scene is the story's own text,
 * so every session at the same point of a story, and every turn that takes no choice, asks for
 * the same vector again.
 */
export const SCENE_CACHE_SIZE = 1000;

type StoredCardWithEmbedding = Awaited<ReturnType<Store['cards']['forSession']>>[number];

/** A recall with nothing in it: no memories, no cards, no summary. */
function emptyRecall(s: MemorySettings, summary: { text: string; turnNo: number } | null): Recall {
  return {
    memories: [],
    cards: [],
    ...(summary ? { summary: summary.text } : {}),
    trace: { weights: s.weights, decay: s.decay, candidates: 0, memories: [], cards: [], ...(summary ? { summaryThroughTurn: summary.turnNo } : {}) },
  };
}

export function createLongTermMemory(deps: LongTermMemoryDeps, settings: Partial<MemorySettings> = {}): LongTermMemory {
  const s: MemorySettings = { ...DEFAULT_MEMORY_SETTINGS, ...settings };
  const space = embeddingSpace(deps.embedder);
  const storyCardVectors = new Map<readonly LoreCard[], Promise<number[][]>>();

  function storyCardEmbeddings(cards: readonly LoreCard[], signal?: AbortSignal): Promise<number[][]> {
    let hit = storyCardVectors.get(cards);
    if (!hit) {
      if (storyCardVectors.size >= STORY_CARD_CACHE_SIZE) storyCardVectors.clear();
      hit = cards.length > 0 ? deps.embedder.embed(cards.map(cardEmbeddingText), signal ? { signal } : undefined) : Promise.resolve([]);
      hit.catch(() => storyCardVectors.delete(cards));
      storyCardVectors.set(cards, hit);
    }
    return hit;
  }

  const sceneVectors = new LRUCache<string, number[]>({ max: SCENE_CACHE_SIZE });

  /** The input's and the scene's vectors combined; the scene's from the cache when it has it. */
  async function queryVector(q: RecallQuery, signal?: AbortSignal): Promise<number[]> {
    const input = q.input.trim();
    const scene = sceneText(q.storyText);
    // A copy: the query leaves this module, and the cached vector must not move with it.
    const known = scene ? sceneVectors.get(scene)?.slice() : undefined;
    const texts = known ? [input] : [input, scene];
    const present = texts.filter((t) => t.length > 0);
    if (present.length === 0) return known ?? [];
    // One call for both on a miss: a provider bills and answers them together.
    const vectors = await deps.embedder.embed(present, signal ? { signal } : undefined);
    const inputVector = input ? vectors[0] : undefined;
    if (known) return combineQuery(inputVector, known);
    const sceneVector = scene ? vectors[present.length - 1] : undefined;
    if (scene && sceneVector && sceneVector.length > 0) sceneVectors.set(scene, sceneVector.slice());
    return combineQuery(inputVector, sceneVector);
  }

  /**
   * The API cards in effect for a session, read again only when their signature moved (or
   * without a preload); none to read when the preload counts none.
   */
  const apiCards = new Map<string, { signature: string; cards: Promise<StoredCardWithEmbedding[]> }>();
  function storedCards(q: RecallQuery): Promise<StoredCardWithEmbedding[]> {
    const pre = q.preload?.cards;
    if (!pre) return deps.store.cards.forSession(q.sessionId, q.storyId);
    if (pre.count === 0) return Promise.resolve([]);
    const key = `${q.sessionId}|${q.storyId}`;
    const hit = apiCards.get(key);
    if (hit?.signature === pre.signature) return hit.cards;
    if (apiCards.size >= API_CARD_CACHE_SIZE) apiCards.delete(apiCards.keys().next().value!);
    const cards = deps.store.cards.forSession(q.sessionId, q.storyId);
    cards.catch(() => apiCards.delete(key));
    apiCards.set(key, { signature: pre.signature, cards });
    return cards;
  }

  async function loadCards(q: RecallQuery, signal?: AbortSignal): Promise<EmbeddedCard[]> {
    const [stored, storyVectors] = await Promise.all([storedCards(q), storyCardEmbeddings(q.storyCards, signal)]);
    return [
      ...q.storyCards.map((c, i) => ({ ...c, source: 'story' as const, embedding: storyVectors[i] ?? null })),
      ...stored.map((c) => ({
        name: c.name,
        keywords: c.keywords,
        text: c.text,
        when: c.when ?? null,
        source: c.sessionId ? ('session' as const) : ('story_api' as const),
        // A card of another embedding space waits for the re-embedding job; keywords still work.
        embedding: c.embeddingModel === null || c.embeddingModel === space ? c.embedding : null,
      })),
    ];
  }

  return {
    async recall(q, opts = {}): Promise<Recall> {
      const pre = q.preload;
      // Nothing to search (a new session, a story without cards): no embedding, no query.
      if (pre && pre.rows === 0 && pre.cards.count === 0 && q.storyCards.length === 0) return emptyRecall(s, pre.summary);
      const query = await queryVector(q, opts.signal);
      // The session stands on the turn before the one being played; memories of undone turns past it stay out.
      const timelineTurn = q.turnNo - 1;
      const searchMemories = (s.topK > 0 || s.maxPinned > 0) && !(pre && pre.rows === 0);
      const [candidates, cards, summaries] = await Promise.all([
        searchMemories ? deps.store.memories.candidates(q.sessionId, query, { limit: Math.max(s.candidates, s.topK), model: space, timelineTurn, ...(pre?.revision !== undefined ? { asOf: { revision: pre.revision, rows: pre.rows } } : {}) }) : Promise.resolve([]),
        loadCards(q, opts.signal),
        pre ? (pre.summary ? [pre.summary] : []) : deps.store.memories.list(q.sessionId, { kind: 'summary', limit: 1, timelineTurn }),
      ]);
      // The latest summary goes in whole; summaries are not recalled as memories too.
      const scored = scoreMemories(candidates.filter((c) => c.kind !== 'summary'), { turnNo: q.turnNo, weights: s.weights, decay: s.decay });
      const selected = selectMemories(scored, s.topK, s.maxPinned);
      const byId = new Map(scored.map((m) => [m.id, m.memory]));
      const activated = activateCards(cards, query, s.cardSimilarity, s.maxSimilarCards, q.conditionScope);
      const summary = summaries.at(-1);
      return {
        memories: selected.map((t) => byId.get(t.id)!),
        cards: activated.cards,
        ...(summary ? { summary: summary.text } : {}),
        trace: {
          weights: s.weights,
          decay: s.decay,
          candidates: candidates.length,
          memories: selected,
          cards: activated.trace,
          ...(summary ? { summaryThroughTurn: summary.turnNo } : {}),
        },
      };
    },

    async afterCommit({ sessionId, turnNo, summaryThroughTurn }): Promise<void> {
      try {
        // Read with the turn: only a summary that is due costs a query.
        if (summaryThroughTurn !== undefined && !summaryDue(turnNo, s.summaryEveryTurns, s.historyTurns, summaryThroughTurn)) return;
        const [latest] = await deps.store.memories.list(sessionId, { kind: 'summary', limit: 1, timelineTurn: turnNo });
        const due = summaryDue(turnNo, s.summaryEveryTurns, s.historyTurns, latest?.turnNo ?? 0);
        if (!due) return;
        const turns = await deps.store.turns.listTurns(sessionId, { afterTurnNo: due.from, limit: due.through - due.from });
        const entries: HistoryEntry[] = turns
          .filter((t) => t.turnNo <= due.through)
          .map((t) => ({ turnNo: t.turnNo, input: t.input, action: t.action, response: t.response, storyText: t.updated_state.text }));
        const text = (await deps.summarizer.summarize({ ...(latest ? { previous: latest.text } : {}), turns: entries, maxChars: s.summaryMaxChars })).trim();
        if (!text) return;
        const [embedding] = await deps.embedder.embed([text]);
        // A summary is made of turns: it follows the timeline like the judge's memories.
        // Only onto the branch it was made of: the player may have undone and played on meanwhile.
        const through = turns.find((t) => t.turnNo === due.through);
        const added = await deps.store.memories.add({
          sessionId,
          turnNo: due.through,
          kind: 'summary',
          text,
          importance: 6,
          embedding: embedding ?? [],
          embeddingModel: space,
          origin: 'turn',
          ...(through ? { ifTurnActive: { turnNo: through.turnNo, taskId: through.taskId ?? null } } : {}),
        });
        deps.logger.debug({ sessionId, through: due.through, chars: text.length, added: added !== null }, 'rolling summary updated');
      } catch (err) {
        // A missed summary is made up by the next one (it starts where the last stored one ended).
        deps.logger.warn({ err, sessionId, turnNo }, 'rolling summary failed');
      }
    },
  };
}
