/**
 * What the BullMQ producer (web) and worker sides share: key names, the session key's release,
 * the job options and how a job's failure reason is read back.
 * @module
 */
import type { Redis } from 'ioredis';
import type { RetryPolicy, TaskError } from '../../domain/ports/turn-queue.js';

/** Options both sides need to agree on. */
export interface BullMqNames {
  /** Key prefix of everything mock-drama keeps in Redis. */
  prefix: string;
  queueName: string;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 5000 };

/** The BullMQ key prefix for our queue. */
export function bullPrefix(names: BullMqNames): string {
  return `${names.prefix}:bull`;
}

/** The per-session "turn in flight" key: its value is the task id holding the session. */
export function activeKey(prefix: string, sessionId: string): string {
  return `${prefix}:active:{${sessionId}}`;
}

// Delete the session's key only if it still names this task (another turn may own it by now).
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type WithRelease = Redis & { mdRelease(key: string, taskId: string): Promise<number> };

/** Free the session if `taskId` still holds it (one round trip). */
export async function releaseSession(redis: Redis, prefix: string, sessionId: string, taskId: string): Promise<void> {
  const r = redis as WithRelease;
  if (typeof r.mdRelease !== 'function') redis.defineCommand('mdRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
  await r.mdRelease(activeKey(prefix, sessionId), taskId);
}

/** A job's failure reason back as a TaskError (ours are JSON; BullMQ's own are plain text). */
export function parseTaskError(reason: string | undefined): TaskError {
  try {
    const parsed = JSON.parse(reason ?? '') as TaskError;
    if (typeof parsed.code === 'string' && typeof parsed.message === 'string') return parsed;
  } catch {
    // Not one of ours (BullMQ's own failure, e.g. "job stalled more than allowable limit").
  }
  return { code: 'internal', message: reason || 'The turn failed' };
}

/** What a finished job keeps in Redis: nothing but its turn number (the turn itself is in the database). */
export interface JobReturn {
  turnNo: number;
}
