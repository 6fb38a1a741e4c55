/**
 * Small checks the service makes on every request: per-user quotas, the UTC day budgets count
 * from, and ids that no query may see.
 * @module
 */
import { DramaError } from './errors.js';

/** A per-user quota is full: `forbidden` (403, it does not reset by waiting), naming the quota. */
export function quotaExceeded(quota: 'sessions' | 'stories', limit: number, used: number): DramaError {
  return new DramaError('forbidden', `You have ${used} ${quota}; the limit is ${limit}`, { details: { quota, limit, used } });
}

export function startOfUtcDay(now: number): Date {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** PostgreSQL text cannot hold NUL: no stored id contains one, and such text must not reach a query (it fails with a 500). */
export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}
