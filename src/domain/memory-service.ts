/**
 * The player's and author's control over long-term memory: session memories and story cards
 * (list, search, add, edit, pin, delete). Ownership is checked here, as in DramaService: someone
 * else's session or story is reported as not found. Edits take effect on the next turn, which
 * reads memories and cards afresh.
 * @module
 */
import { cardEmbeddingText } from './card-text.js';
import { audit } from './audit.js';
import { cleanText } from './clean-text.js';
import type { SessionAccess } from './session-access.js';
import { parseCondition, unknownNames, type CardCondition } from '../shared/card-condition.js';
import type { ImportedEntry, SkippedEntry } from './card-import.js';
import { DramaError, isDramaError } from './errors.js';
import { loadStoryRuntime } from './load-story.js';
import { embeddingSpace } from './ports/embedder.js';
import type { CardScope } from './ports/card-store.js';
import type { MemoryPatch } from './ports/memory-store.js';
import { asViewer, type Viewer } from './story-access.js';
import type { LoreCard, MemoryKind, StoredCard, StoredMemory } from './types.js';

/** What players and authors may store. */
export const MEMORY_INPUT_LIMITS = { text: 2000, cardName: 400, cardText: 2000, keywords: 32, keyword: 200, cardsPerScope: 500 } as const;

export interface MemoryInput {
  text: string;
  importance?: number;
  kind?: MemoryKind;
  pinned?: boolean;
}

export interface CardInput {
  name: string;
  keywords: string[];
  text: string;
  /** A condition over the ink state (null: none). */
  when?: string | null;
}

function field(path: string, value: string, max: number, required = true): string {
  const clean = cleanText(value).trim();
  if (required && clean.length === 0) throw new DramaError('bad_request', `${path} is empty`, { details: [{ path, message: 'must not be empty' }] });
  if (clean.length > max) throw new DramaError('payload_too_large', `${path} is longer than ${max} characters`, { details: [{ path, message: `at most ${max} characters` }] });
  return clean;
}

function keywordsOf(keywords: string[]): string[] {
  if (keywords.length > MEMORY_INPUT_LIMITS.keywords) {
    throw new DramaError('bad_request', `at most ${MEMORY_INPUT_LIMITS.keywords} keywords`, { details: [{ path: 'keywords', message: `at most ${MEMORY_INPUT_LIMITS.keywords} items` }] });
  }
  return keywords.map((k, i) => field(`keywords.${i}`, k, MEMORY_INPUT_LIMITS.keyword));
}

export class MemoryService {
  constructor(private readonly service: SessionAccess) {}

  get #deps() {
    return this.service.deps;
  }

  async #embed(text: string): Promise<{ embedding: number[]; embeddingModel: string }> {
    const [embedding] = await this.#deps.embedder.embed([text]);
    return { embedding: embedding ?? [], embeddingModel: embeddingSpace(this.#deps.embedder) };
  }

  /** A session's memories, oldest first; with `query`, the most similar first (with `score`). */
  async listMemories(ownerId: string, sessionId: string, opts: { query?: string; kind?: MemoryKind; limit?: number } = {}): Promise<StoredMemory[]> {
    const { turnNo: timelineTurn } = await this.service.getSession(ownerId, sessionId);
    const query = opts.query === undefined ? '' : field('q', opts.query, MEMORY_INPUT_LIMITS.text, false);
    if (query) {
      const { embedding, embeddingModel } = await this.#embed(query);
      const hits = await this.#deps.store.memories.search(sessionId, embedding, opts.limit ?? 20, { model: embeddingModel, timelineTurn });
      return opts.kind ? hits.filter((m) => m.kind === opts.kind) : hits;
    }
    return this.#deps.store.memories.list(sessionId, { ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.limit !== undefined ? { limit: opts.limit } : {}), timelineTurn });
  }

  async addMemory(ownerId: string, sessionId: string, input: MemoryInput): Promise<StoredMemory> {
    const session = await this.service.getSession(ownerId, sessionId);
    const text = field('text', input.text, MEMORY_INPUT_LIMITS.text);
    const added = await this.#deps.store.memories.add({
      sessionId,
      turnNo: session.turnNo,
      kind: input.kind ?? 'fact',
      text,
      importance: input.importance ?? 5,
      pinned: input.pinned ?? false,
      ...(await this.#embed(text)),
    });
    // Only a second summary for the same turn can collide.
    if (!added) throw new DramaError('turn_conflict', `a summary for turn ${session.turnNo} already exists`);
    return added;
  }

  async updateMemory(ownerId: string, sessionId: string, id: string, patch: Partial<MemoryInput>): Promise<StoredMemory> {
    await this.service.getSession(ownerId, sessionId);
    const change: MemoryPatch = {};
    if (patch.text !== undefined) Object.assign(change, { text: field('text', patch.text, MEMORY_INPUT_LIMITS.text) }, await this.#embed(cleanText(patch.text).trim()));
    if (patch.importance !== undefined) change.importance = patch.importance;
    if (patch.kind !== undefined) change.kind = patch.kind;
    if (patch.pinned !== undefined) change.pinned = patch.pinned;
    const updated = await this.#deps.store.memories.update(sessionId, id, change);
    if (!updated) throw new DramaError('not_found', `Memory ${id} not found`);
    return updated;
  }

  async deleteMemory(ownerId: string, sessionId: string, id: string): Promise<void> {
    await this.service.getSession(ownerId, sessionId);
    if (!(await this.#deps.store.memories.remove(sessionId, id))) throw new DramaError('not_found', `Memory ${id} not found`);
  }

  /**
   * Delete a session the caller owns, with its turns, memories and cards. Its turn in flight is
   * cancelled first: no model keeps working for a deleted session, and the turn does not fail
   * later on a commit into a session that is gone.
   */
  async deleteSession(ownerId: string, sessionId: string, requestId: string | null = null): Promise<void> {
    await this.service.getSession(ownerId, sessionId);
    await this.service.queue.cancel(sessionId);
    if (!(await this.#deps.store.sessions.deleteSession(sessionId))) throw new DramaError('session_not_found', `Session ${sessionId} not found`);
    await audit(this.#deps.store, ownerId, 'session.deleted', `session:${sessionId}`, requestId);
  }

  /** Check access to a card scope: a session the caller owns, or a story they can see (and, to write, own). */
  async #scope(viewer: string | Viewer, scope: CardScope, write: boolean): Promise<void> {
    const ownerId = asViewer(viewer).userId;
    if ('sessionId' in scope) {
      await this.service.getSession(ownerId, scope.sessionId);
      return;
    }
    const story = await this.service.getVisibleStory(viewer, scope.storyId);
    if (write && story.ownerId !== ownerId) throw new DramaError('forbidden', 'Only the story’s owner can change its cards; add cards to your session instead');
  }

  /** The scope's cards; for a story, also the cards written in its ink file (read-only). */
  async listCards(viewer: string | Viewer, scope: CardScope): Promise<{ cards: StoredCard[]; inkCards: LoreCard[] }> {
    await this.#scope(viewer, scope, false);
    const cards = await this.#deps.store.cards.list(scope);
    if (!('storyId' in scope)) return { cards, inkCards: [] };
    const story = await this.service.getStory(scope.storyId);
    const runtime = await loadStoryRuntime(this.#deps, story.id, story.currentVersion);
    return { cards, inkCards: [...(runtime.cards ?? [])] };
  }

  async addCard(ownerId: string, scope: CardScope, input: CardInput): Promise<StoredCard> {
    await this.#scope(ownerId, scope, true);
    const card = {
      name: field('name', input.name, MEMORY_INPUT_LIMITS.cardName),
      keywords: keywordsOf(input.keywords),
      text: field('text', input.text, MEMORY_INPUT_LIMITS.cardText),
      when: await this.#condition(ownerId, scope, input.when),
    };
    if ((await this.#deps.store.cards.list(scope)).length >= MEMORY_INPUT_LIMITS.cardsPerScope) {
      throw new DramaError('payload_too_large', `at most ${MEMORY_INPUT_LIMITS.cardsPerScope} cards per story or session`);
    }
    return this.#deps.store.cards.add(scope, { ...card, ...(await this.#embed(cardEmbeddingText(card))) });
  }

  async updateCard(ownerId: string, scope: CardScope, id: string, patch: Partial<CardInput>): Promise<StoredCard> {
    await this.#scope(ownerId, scope, true);
    const current = await this.#deps.store.cards.get(scope, id);
    if (!current) throw new DramaError('not_found', `Card ${id} not found`);
    const next = {
      name: patch.name === undefined ? current.name : field('name', patch.name, MEMORY_INPUT_LIMITS.cardName),
      keywords: patch.keywords === undefined ? current.keywords : keywordsOf(patch.keywords),
      text: patch.text === undefined ? current.text : field('text', patch.text, MEMORY_INPUT_LIMITS.cardText),
      when: patch.when === undefined ? (current.when ?? null) : await this.#condition(ownerId, scope, patch.when),
    };
    const updated = await this.#deps.store.cards.update(scope, id, { ...next, ...(await this.#embed(cardEmbeddingText(next))) });
    if (!updated) throw new DramaError('not_found', `Card ${id} not found`);
    return updated;
  }

  /**
   * A card's condition, checked against the story it applies to: it parses, and every variable and
   * knot it names exists (422 `card_condition_invalid` naming the rest).
   */
  async #condition(ownerId: string, scope: CardScope, when: string | null | undefined): Promise<string | null> {
    const text = when?.trim();
    if (!text) return null;
    return (await this.#conditionChecker(ownerId, scope))(text);
  }

  /** A checker of conditions against the scope's story, which is loaded once for all of them. */
  async #conditionChecker(ownerId: string, scope: CardScope): Promise<(text: string) => string> {
    const [storyId, version] =
      'storyId' in scope
        ? await this.service.getStory(scope.storyId).then((s) => [s.id, s.currentVersion] as const)
        : await this.service.getSession(ownerId, scope.sessionId).then((s) => [s.storyId, s.storyVersion] as const);
    const runtime = await loadStoryRuntime(this.#deps, storyId, version);
    return (text) => {
      let condition: CardCondition;
      try {
        condition = parseCondition(text);
      } catch (err) {
        throw new DramaError('card_condition_invalid', err instanceof Error ? err.message : String(err), { details: [{ path: 'when', message: String(err) }] });
      }
      const unknown = unknownNames(condition, runtime).map((u) => ({ path: 'when', ...u }));
      if (unknown.length > 0) throw new DramaError('card_condition_invalid', unknown.map((u) => u.message).join('; '), { details: unknown });
      return text;
    };
  }

  /**
   * Store the cards a lorebook file was read into, all or none (one insert), in the file's order.
   * `read` runs once access is checked, so a file sent to someone else's story is never parsed.
   * An entry whose condition does not fit this story is skipped with the reason; more cards than
   * the scope may hold refuse the whole import (413 `payload_too_large`).
   */
  async importCards<T extends { entries: readonly ImportedEntry[] }>(ownerId: string, scope: CardScope, read: () => T): Promise<{ file: T; imported: { source: string; card: StoredCard }[]; skipped: SkippedEntry[] }> {
    await this.#scope(ownerId, scope, true);
    const file = read();
    const entries = file.entries;
    const check = await this.#conditionChecker(ownerId, scope);
    const skipped: SkippedEntry[] = [];
    const kept = entries.flatMap((e) => {
      try {
        const card = { name: field('name', e.name, MEMORY_INPUT_LIMITS.cardName), keywords: keywordsOf(e.keywords), text: field('text', e.text, MEMORY_INPUT_LIMITS.cardText), when: e.when === null ? null : check(e.when.trim()) };
        return [{ source: e.source, card }];
      } catch (err) {
        if (!isDramaError(err) || err.code !== 'card_condition_invalid') throw err;
        skipped.push({ source: e.source, name: e.name, reason: `its condition "${e.when}" does not fit this story: ${err.message}` });
        return [];
      }
    });
    const existing = (await this.#deps.store.cards.list(scope)).length;
    if (existing + kept.length > MEMORY_INPUT_LIMITS.cardsPerScope) {
      throw new DramaError('payload_too_large', `the import would make ${existing + kept.length} cards; at most ${MEMORY_INPUT_LIMITS.cardsPerScope} per story or session`, {
        details: [{ path: '(file)', message: `${kept.length} cards to import, ${existing} already there, at most ${MEMORY_INPUT_LIMITS.cardsPerScope}` }],
      });
    }
    const embeddings = kept.length > 0 ? await this.#deps.embedder.embed(kept.map((k) => cardEmbeddingText(k.card))) : [];
    const embeddingModel = embeddingSpace(this.#deps.embedder);
    const stored = await this.#deps.store.cards.addMany(scope, kept.map((k, i) => ({ ...k.card, embedding: embeddings[i] ?? [], embeddingModel })));
    return { file, imported: stored.map((card, i) => ({ source: kept[i]!.source, card })), skipped };
  }

  async deleteCard(ownerId: string, scope: CardScope, id: string): Promise<void> {
    await this.#scope(ownerId, scope, true);
    if (!(await this.#deps.store.cards.remove(scope, id))) throw new DramaError('not_found', `Card ${id} not found`);
  }
}
