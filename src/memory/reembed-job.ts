/**
 * Background re-embedding: when the embedding model changes, stored memories and cards are
 * re-embedded in batches with the new model. Until a row is done, search ignores it (its
 * recorded space differs), so vectors of two models are never compared.
 * @module
 */
import { embeddingSpace, type Embedder } from '../domain/ports/embedder.js';
import type { Store } from '../domain/ports/store.js';
import type { Logger } from '../shared/log.js';

export interface ReembedJob {
  /** Resolves with the rows re-embedded once nothing is left (or the job stopped or failed). */
  done: Promise<number>;
  stop(): void;
}

/** Start re-embedding every memory and card of another space than `embedder`'s. */
export function startReembedding(deps: { store: Store; embedder: Embedder; logger: Logger }, opts: { batchSize?: number } = {}): ReembedJob {
  const batchSize = opts.batchSize ?? 64;
  const space = embeddingSpace(deps.embedder);
  let stopped = false;
  const run = async (): Promise<number> => {
    let total = 0;
    const tables = [
      { name: 'memories', repo: deps.store.memories },
      { name: 'cards', repo: deps.store.cards },
    ] as const;
    for (const { name, repo } of tables) {
      while (!stopped) {
        const rows = await repo.staleEmbeddings(space, batchSize);
        if (rows.length === 0) break;
        if (total === 0) deps.logger.info({ model: space, table: name }, 'embedding model changed: re-embedding stored rows in the background');
        const vectors = await deps.embedder.embed(rows.map((r) => r.text));
        if (vectors.length !== rows.length) throw new Error(`embedder returned ${vectors.length} vectors for ${rows.length} texts`);
        await repo.setEmbeddings(rows.map((r, i) => ({ id: r.id, embedding: vectors[i]! })), space);
        total += rows.length;
        deps.logger.info({ model: space, table: name, done: total }, 're-embedding progress');
      }
    }
    if (total > 0) deps.logger.info({ model: space, rows: total }, 're-embedding finished');
    return total;
  };
  const done = run().catch((err: unknown) => {
    deps.logger.warn({ err, model: space }, 're-embedding stopped; it resumes at the next start');
    return 0;
  });
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}
