/**
 * Model prices in US dollars per million tokens. The defaults are list prices at the time of
 * writing and only a convenience: set MODEL_PRICES to your contract's numbers.
 * @module
 */
import type { ModelCallInfo } from './ports/narrator.js';

export interface ModelPrice {
  input: number;
  output: number;
  /** Price of input tokens read from the provider's prompt cache (defaults to `input`). */
  cachedInput?: number;
}

export type PriceTable = Record<string, ModelPrice>;

export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
  'claude-3-haiku': { input: 0.25, output: 1.25, cachedInput: 0.03 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
};

/** The price of a model id: exact key, else the longest key the id starts with (dated versions). */
export function priceOf(table: PriceTable, modelId: string): ModelPrice | undefined {
  if (table[modelId]) return table[modelId];
  let best: string | undefined;
  for (const key of Object.keys(table)) if (modelId.startsWith(key) && (!best || key.length > best.length)) best = key;
  return best ? table[best] : undefined;
}

/** Cost of one call; unknown models (and the offline ones) cost 0. */
export function costOf(table: PriceTable, info: ModelCallInfo): number {
  const price = priceOf(table, info.modelId);
  if (!price) return 0;
  const cached = info.cachedInputTokens ?? 0;
  const fresh = Math.max(0, (info.inputTokens ?? 0) - cached);
  const usd = (fresh * price.input + cached * (price.cachedInput ?? price.input) + (info.outputTokens ?? 0) * price.output) / 1e6;
  return Math.round(usd * 1e8) / 1e8;
}
