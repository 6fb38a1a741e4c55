/**
 * {@link SessionHeads} in Redis, shared by every web and worker process. Per session: the head
 * (`<generation of all>:<owner id>`, with an expiry) and the session's own generation; one
 * generation for all sessions. A forget bumps the session's generation and deletes its head in one
 * step; a remember writes only if both generations are still those its stamp was cut from. So a
 * remember that read the database before a write and arrives after that write's forget is refused:
 * a head in Redis is never older than the last forget of its session.
 *
 * The claim reads the head and takes the session's "turn in flight" key (bullmq-shared.ts) in
 * the same script, so an action on a known session costs one round trip where the database check
 * and the key cost two. A peek (a stream's opening, a task's status) reads the head, and for a
 * task's status whether the task still holds that key, and a session about to be created gets its
 * stamp before its insert. The keys of one session share a hash slot; the generation of all does
 * not, so like the event bus's batches this needs a single Redis (or one primary), not Redis
 * Cluster.
 * @module
 */
import type { Redis } from 'ioredis';
import type { HeadClaim, HeadPeek, SessionHeads } from '../../domain/ports/session-heads.js';
import { activeKey, releaseSession } from './bullmq-shared.js';

// KEYS: head, the session's generation, the generation of all, the session's active key.
// ARGV: caller, task id, the active key's expiry (ms). Returns 1 claimed, 2 known but busy, or
// the stamp ("<session generation>:<generation of all>") when the caller's head is not known.
const CLAIM_LUA = `
local all = redis.call('GET', KEYS[3]) or '0'
local head = redis.call('GET', KEYS[1])
if head and head == all .. ':' .. ARGV[1] then
  if redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[3], 'NX') then return 1 end
  return 2
end
return (redis.call('GET', KEYS[2]) or '0') .. ':' .. all
`;

// KEYS: head, the session's generation, the generation of all, the session's active key. ARGV:
// caller, a task id or ''. Returns {1 when the caller's head is known, else the stamp, as the claim
// does; 1 when the task holds the active key, else 0}.
const PEEK_LUA = `
local holds = 0
if ARGV[2] ~= '' and redis.call('GET', KEYS[4]) == ARGV[2] then holds = 1 end
local all = redis.call('GET', KEYS[3]) or '0'
local head = redis.call('GET', KEYS[1])
if head and head == all .. ':' .. ARGV[1] then return {1, holds} end
return {(redis.call('GET', KEYS[2]) or '0') .. ':' .. all, holds}
`;

// KEYS: the session's generation, the generation of all. Returns the stamp.
const STAMP_LUA = `
return (redis.call('GET', KEYS[1]) or '0') .. ':' .. (redis.call('GET', KEYS[2]) or '0')
`;

// KEYS: head, the session's generation, the generation of all. ARGV: owner, stamp, expiry (ms).
const REMEMBER_LUA = `
local all = redis.call('GET', KEYS[3]) or '0'
if (redis.call('GET', KEYS[2]) or '0') .. ':' .. all ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], all .. ':' .. ARGV[1], 'PX', ARGV[3])
return 1
`;

// KEYS: head, the session's generation. ARGV: the generation's expiry (ms).
const FORGET_LUA = `
redis.call('DEL', KEYS[1])
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
`;

type WithScripts = Redis & {
  mdHeadClaim(k1: string, k2: string, k3: string, k4: string, userId: string, taskId: string, ttl: number): Promise<number | string>;
  mdHeadPeek(k1: string, k2: string, k3: string, k4: string, userId: string, taskId: string): Promise<[number | string, number]>;
  mdHeadStamp(k1: string, k2: string): Promise<string>;
  mdHeadRemember(k1: string, k2: string, k3: string, ownerId: string, stamp: string, ttl: number): Promise<number>;
  mdHeadForget(k1: string, k2: string, ttl: number): Promise<number>;
};

export interface RedisSessionHeadsOptions {
  redis: Redis;
  prefix?: string;
  /** How long a remembered head lives at most (from its remembering; a hit does not extend it). */
  headTtlMs?: number;
  /** The "turn in flight" key's expiry, as the queue sets it (bullmq-turn-queue.ts). */
  activeTtlMs: number;
}

/** Claims (actions) and peeks (reads) that found the session known, and those that did not (metrics). */
export interface SessionHeadStats {
  claims: { known: number; unknown: number };
  reads: { known: number; unknown: number };
}

/**
 * Five minutes: long enough that a player's next actions find their session known, short enough
 * that a forget lost to an outage (or to Redis restoring an older snapshot) is outlived soon.
 */
export const DEFAULT_HEAD_TTL_MS = 5 * 60_000;

export class RedisSessionHeads implements SessionHeads {
  readonly #redis: WithScripts;
  readonly #prefix: string;
  readonly #headTtlMs: number;
  // A session's generation must outlive any remember cut before its last forget: the head's
  // lifetime is far longer than a database read.
  readonly #generationTtlMs: number;
  readonly #activeTtlMs: number;
  readonly #all: string;
  readonly #stats: SessionHeadStats = { claims: { known: 0, unknown: 0 }, reads: { known: 0, unknown: 0 } };

  constructor(options: RedisSessionHeadsOptions) {
    options.redis.defineCommand('mdHeadClaim', { numberOfKeys: 4, lua: CLAIM_LUA });
    options.redis.defineCommand('mdHeadPeek', { numberOfKeys: 4, lua: PEEK_LUA });
    options.redis.defineCommand('mdHeadStamp', { numberOfKeys: 2, lua: STAMP_LUA });
    options.redis.defineCommand('mdHeadRemember', { numberOfKeys: 3, lua: REMEMBER_LUA });
    options.redis.defineCommand('mdHeadForget', { numberOfKeys: 2, lua: FORGET_LUA });
    this.#redis = options.redis as WithScripts;
    this.#prefix = options.prefix ?? 'md';
    this.#headTtlMs = options.headTtlMs ?? DEFAULT_HEAD_TTL_MS;
    this.#generationTtlMs = 2 * this.#headTtlMs;
    this.#activeTtlMs = options.activeTtlMs;
    this.#all = `${this.#prefix}:head-gen`;
  }

  stats(): SessionHeadStats {
    return { claims: { ...this.#stats.claims }, reads: { ...this.#stats.reads } };
  }

  #keys(sessionId: string): [head: string, generation: string] {
    return [`${this.#prefix}:head:{${sessionId}}`, `${this.#prefix}:head-gen:{${sessionId}}`];
  }

  async claim(sessionId: string, userId: string, taskId: string): Promise<HeadClaim> {
    const [head, generation] = this.#keys(sessionId);
    const answer = await this.#redis.mdHeadClaim(head, generation, this.#all, activeKey(this.#prefix, sessionId), userId, taskId, this.#activeTtlMs);
    if (typeof answer === 'string') {
      this.#stats.claims.unknown++;
      return { known: false, stamp: answer };
    }
    this.#stats.claims.known++;
    return { known: true, claimed: answer === 1 };
  }

  async peek(sessionId: string, userId: string, taskId?: string): Promise<HeadPeek> {
    const [head, generation] = this.#keys(sessionId);
    const [answer, holds] = await this.#redis.mdHeadPeek(head, generation, this.#all, activeKey(this.#prefix, sessionId), userId, taskId ?? '');
    const held = taskId === undefined ? {} : { holds: holds === 1 };
    if (typeof answer === 'string') {
      this.#stats.reads.unknown++;
      return { known: false, stamp: answer, ...held };
    }
    this.#stats.reads.known++;
    return { known: true, ...held };
  }

  stamp(sessionId: string): Promise<string> {
    return this.#redis.mdHeadStamp(this.#keys(sessionId)[1], this.#all);
  }

  async remember(sessionId: string, ownerId: string, stamp: string): Promise<void> {
    const [head, generation] = this.#keys(sessionId);
    await this.#redis.mdHeadRemember(head, generation, this.#all, ownerId, stamp, this.#headTtlMs);
  }

  async forget(sessionId: string): Promise<void> {
    const [head, generation] = this.#keys(sessionId);
    await this.#redis.mdHeadForget(head, generation, this.#generationTtlMs);
  }

  async forgetAll(): Promise<void> {
    await this.#redis.incr(this.#all);
  }

  release(sessionId: string, taskId: string): Promise<void> {
    return releaseSession(this.#redis, this.#prefix, sessionId, taskId);
  }
}
