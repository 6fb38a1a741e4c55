import type { HistoryEntry } from '../types.js';

/** Folds turns into a rolling summary. */
export interface Summarizer {
  readonly modelId: string;
  /** The new rolling summary: `previous` (if any) extended with `turns`, at most `maxChars` long. */
  summarize(input: { previous?: string; turns: HistoryEntry[]; maxChars: number }, opts?: { signal?: AbortSignal }): Promise<string>;
}
