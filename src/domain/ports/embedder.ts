
/**
 * The embedding space an embedder writes into, recorded beside every stored vector
 * (`model@dimensions`): vectors of different spaces are never compared.
 */
export function embeddingSpace(embedder: Pick<Embedder, 'modelId' | 'dimensions'>): string {
  return `${embedder.modelId}@${embedder.dimensions}`;
}

/** Turns text into unit-length vectors of a fixed dimension. */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<number[][]>;
}
