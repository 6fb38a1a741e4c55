import { describe, expect, it } from 'vitest';
import { costOf, DEFAULT_PRICES, priceOf } from './pricing.js';

describe('pricing', () => {
  it('matches dated model versions by the longest prefix', () => {
    expect(priceOf(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceOf(DEFAULT_PRICES, 'gpt-4o-2024-08-06')).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(priceOf(DEFAULT_PRICES, 'offline-narrator')).toBeUndefined();
  });

  it('prices fresh, cached and output tokens separately', () => {
    const table = { m: { input: 1, output: 2, cachedInput: 0.5 } };
    // 1,000,000 fresh input ($1) + 1,000,000 cached ($0.5) + 500,000 output ($1)
    expect(costOf(table, { modelId: 'm', inputTokens: 2_000_000, cachedInputTokens: 1_000_000, outputTokens: 500_000 })).toBe(2.5);
    expect(costOf(table, { modelId: 'unknown', inputTokens: 5 })).toBe(0);
  });
});
