/**
 * `TRACE_RETENTION_DAYS`: turns' context traces and replay recordings older than that are
 * cleared (the turns themselves stay). Swept at start and every few hours by the processes that
 * run turns; 0 keeps them for ever.
 * @module
 */
import type { Clock } from '../domain/ports/clock.js';
import type { Store } from '../domain/ports/store.js';
import type { Logger } from '../shared/log.js';

const SWEEP_EVERY_MS = 6 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** Start sweeping; the returned function stops it. */
export function startTraceRetention(store: Pick<Store, 'turns'>, clock: Clock, days: number, logger: Logger): () => void {
  if (days <= 0) return () => undefined;
  const sweep = async () => {
    try {
      const cleared = await store.turns.forgetRecordings(new Date(clock.now() - days * DAY_MS));
      if (cleared > 0) logger.info({ cleared, days }, 'old turn traces and recordings cleared');
    } catch (err) {
      logger.warn({ err }, 'trace retention sweep failed; next try in a few hours');
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
