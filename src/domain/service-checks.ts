/**
 * The service's limits and hooks, and the small checks it makes on every request: per-user
 * quotas, the UTC day budgets count from, and ids that no query may see.
 * @module
 */
import type { IsOnline } from './presence.js';
import { DramaError } from './errors.js';
import type { ActionKind } from './types.js';

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

export interface ServiceLimits {
  maxInputChars: number;
  /** Tokens per user per UTC day; 0 or absent = unlimited. */
  dailyTokenBudget?: number;
  /** Sessions a user may own; 0 or absent = unlimited. */
  maxSessionsPerUser?: number;
  /** Stories a user may upload; 0 or absent = unlimited. */
  maxStoriesPerUser?: number;
  /** People in a shared session, its owner included (default 8). */
  maxMembersPerSession?: number;
  /** Actions that may wait in a shared session's line (default 8). */
  maxQueuedActions?: number;
  /** Round mode: seconds a player has to act before they are skipped (default 120). */
  roundTimeoutS?: number;
  /** Vote mode: seconds a vote stays open (default 30). */
  voteWindowS?: number;
}

export interface SubmitAction {
  ownerId: string;
  sessionId: string;
  input: string;
  action: ActionKind;
  /** Same key (per owner and session) → same task; a retried request never doubles a turn. */
  idempotencyKey?: string;
}

/** Observers of the service (metrics). */
export interface ServiceHooks {
  /** A daily budget check ran: the share of the user's budget already used (1 or more: refused). */
  onBudgetCheck?(usedRatio: number): void;
  /** Whether someone has a socket open on a session (web servers; absent in a worker-only process). */
  isOnline?: IsOnline;
}

/** The arbiter's limits from the service's, with their defaults. */
export function arbiterLimits(limits: ServiceLimits): { maxQueuedActions: number; roundTimeoutMs: number; voteWindowMs: number } {
  return { maxQueuedActions: limits.maxQueuedActions ?? 8, roundTimeoutMs: (limits.roundTimeoutS ?? 120) * 1000, voteWindowMs: (limits.voteWindowS ?? 30) * 1000 };
}
