/**
 * The contract of a lorebook import: the cards a file's reader made of its entries, and the
 * entries it left out with the reason. Readers of each format live in memory/lorebook/.
 * @module
 */
import type { LoreCard } from './types.js';

/** One card to create; `source` says where in the file it came from (`entries.3`, `data.description`). */
export interface ImportedEntry extends LoreCard {
  source: string;
  when: string | null;
}

/** An entry left out, and why. */
export interface SkippedEntry {
  source: string;
  name?: string;
  reason: string;
}
