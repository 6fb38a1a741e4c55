import type { NarrationTuning } from '../domain/ports/narrator.js';

/**
 * A call's sampling and style after a player's tuning: their temperature and length note win over
 * the configured ones; their token cap too, unless `capOutput` is false (the single call, whose
 * output carries the decision as well and keeps its own cap).
 */
export function tunedCall(
  configured: { maxOutputTokens: number; temperature?: number | undefined; style?: string | undefined },
  tuning: NarrationTuning | undefined,
  capOutput = true,
): { maxOutputTokens: number; temperature?: number; style?: string } {
  const temperature = tuning?.temperature ?? configured.temperature;
  const style = [configured.style, tuning?.lengthNote].filter(Boolean).join('; ');
  return {
    maxOutputTokens: (capOutput ? tuning?.maxOutputTokens : undefined) ?? configured.maxOutputTokens,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(style ? { style } : {}),
  };
}
