import type { Judged } from './decide.js';
import type { ModelCallInfo } from './ports/narrator.js';
import { costOf, type PriceTable } from './pricing.js';
import type { ModelCallUsage, TurnUsage } from './types.js';

/** Whether a call of `role` ran on the player's own key. */
function onOwnKey(role: ModelCallUsage['role'], byok: { narrator: boolean; judge: boolean }): boolean {
  return role === 'narrator' ? byok.narrator : role !== 'judge-fallback' && byok.judge;
}

/**
 * Tokens and cost of every model call of a turn, with totals. Calls on the player's own key are
 * marked `byok`, and the turn too, with the tokens they used (`byokTokens`): the daily budget
 * leaves those out (the server did not pay for them).
 */
export function turnUsage(prices: PriceTable, narrator: ModelCallInfo, judged: Judged, byok = { narrator: false, judge: false }): TurnUsage {
  const calls: ModelCallUsage[] = [{ ...narrator, role: 'narrator' as const }, ...judged.calls].map((c) => ({
    ...(onOwnKey(c.role, byok) ? { byok: true as const } : {}),
    role: c.role,
    modelId: c.modelId,
    ...(c.inputTokens !== undefined ? { inputTokens: c.inputTokens } : {}),
    ...(c.outputTokens !== undefined ? { outputTokens: c.outputTokens } : {}),
    ...(c.cachedInputTokens !== undefined ? { cachedInputTokens: c.cachedInputTokens } : {}),
    costUsd: costOf(prices, c),
  }));
  const sum = (f: (c: ModelCallUsage) => number | undefined) => calls.reduce((n, c) => n + (f(c) ?? 0), 0);
  const own = calls.filter((c) => c.byok);
  return {
    ...(own.length > 0 ? { byok: true as const, byokTokens: own.reduce((n, c) => n + (c.inputTokens ?? 0) + (c.outputTokens ?? 0), 0) } : {}),
    calls,
    inputTokens: sum((c) => c.inputTokens),
    outputTokens: sum((c) => c.outputTokens),
    costUsd: Math.round(sum((c) => c.costUsd) * 1e8) / 1e8,
    judgeRepaired: judged.repaired,
    judgeFellBack: judged.fellBack,
  };
}
