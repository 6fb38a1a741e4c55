import type { Judged } from './decide.js';
import type { ModelCallInfo } from './ports/narrator.js';
import { costOf, type PriceTable } from './pricing.js';
import type { ModelCallUsage, TurnUsage } from './types.js';

/** Tokens and cost of every model call of a turn, with totals. */
export function turnUsage(prices: PriceTable, narrator: ModelCallInfo, judged: Judged): TurnUsage {
  const calls: ModelCallUsage[] = [{ ...narrator, role: 'narrator' as const }, ...judged.calls].map((c) => ({
    role: c.role,
    modelId: c.modelId,
    ...(c.inputTokens !== undefined ? { inputTokens: c.inputTokens } : {}),
    ...(c.outputTokens !== undefined ? { outputTokens: c.outputTokens } : {}),
    ...(c.cachedInputTokens !== undefined ? { cachedInputTokens: c.cachedInputTokens } : {}),
    costUsd: costOf(prices, c),
  }));
  const sum = (f: (c: ModelCallUsage) => number | undefined) => calls.reduce((n, c) => n + (f(c) ?? 0), 0);
  return {
    calls,
    inputTokens: sum((c) => c.inputTokens),
    outputTokens: sum((c) => c.outputTokens),
    costUsd: Math.round(sum((c) => c.costUsd) * 1e8) / 1e8,
    judgeRepaired: judged.repaired,
    judgeFellBack: judged.fellBack,
  };
}
