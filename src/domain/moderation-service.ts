/**
 * Moderation: hiding stories and suspending users. Every action is logged as an audit line
 * (`audit: moderation.*`, with the moderator, the target and the reason; never a credential).
 *
 * The suspension check runs on every authenticated request, so its answer is cached per process
 * for `suspensionCacheMs`: a suspension made through another web process takes effect here within
 * that time (the process that made it forgets its cached answer at once).
 * @module
 */
import { LRUCache } from 'lru-cache';
import { cleanText } from './clean-text.js';
import { audit } from './audit.js';
import { DramaError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { Store } from './ports/store.js';
import type { StoryFilter } from './ports/story-store.js';
import type { Suspension } from './ports/suspension-store.js';
import type { Logger } from '../shared/log.js';
import { foundStory } from './story-access.js';
import type { StoryRecord } from './types.js';

export interface ModerationOptions {
  /** How long an answer to "is this user suspended?" is reused (default 15 s; 0 = ask every time). */
  suspensionCacheMs?: number;
  /** Users whose answer is cached (default 10,000). */
  cacheSize?: number;
}

const MAX_REASON_CHARS = 500;

export class ModerationService {
  readonly #cache: LRUCache<string, { suspended: boolean; until: number }>;
  readonly #cacheMs: number;

  constructor(
    private readonly store: Pick<Store, 'stories' | 'suspensions'> & Partial<Pick<Store, 'audit'>>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: ModerationOptions = {},
  ) {
    this.#cacheMs = options.suspensionCacheMs ?? 15_000;
    // Expiry against the injected Clock (`until`), not lru-cache's `ttl`, which reads performance.now.
    this.#cache = new LRUCache({ max: options.cacheSize ?? 10_000 });
  }

  /** Throws `account_suspended` when the user is suspended (answer cached, see the module doc). */
  async assertNotSuspended(userId: string): Promise<void> {
    if (await this.isSuspended(userId)) throw new DramaError('account_suspended', 'This account is suspended');
  }

  async isSuspended(userId: string): Promise<boolean> {
    const now = this.clock.now();
    const cached = this.#cache.get(userId);
    if (cached && cached.until > now) return cached.suspended;
    const suspended = (await this.store.suspensions.get(userId)) !== null;
    if (this.#cacheMs > 0) this.#cache.set(userId, { suspended, until: now + this.#cacheMs });
    return suspended;
  }

  /**
   * Read, in one statement, whether each of these users is suspended, for those whose answer is
   * not cached, and cache it: the checks that follow (open streams re-verifying their credentials
   * together) are then answered from the cache instead of one read each. With the cache off
   * (`suspensionCacheMs` 0) it does nothing, and each check reads as before.
   */
  async primeSuspensions(userIds: Iterable<string>): Promise<void> {
    if (this.#cacheMs <= 0) return;
    const now = this.clock.now();
    const unknown = [...new Set(userIds)].filter((id) => !((this.#cache.get(id)?.until ?? 0) > now));
    if (unknown.length === 0) return;
    const suspended = new Set(await this.store.suspensions.suspendedAmong(unknown));
    // Kept from the answer's arrival: counted from before the read, a read slower than the cache's
    // time (a busy database) left every answer expired before the checks it was read for.
    const until = this.clock.now() + this.#cacheMs;
    for (const id of unknown) this.#cache.set(id, { suspended: suspended.has(id), until });
  }

  /** Every story, private ones included, filtered by owner or hidden flag. */
  listStories(filter: Pick<StoryFilter, 'ownerId' | 'hidden'> = {}): Promise<StoryRecord[]> {
    return this.store.stories.listStories(filter);
  }

  async setHidden(moderator: string, storyId: string, hidden: boolean, reason?: string, requestId: string | null = null): Promise<StoryRecord> {
    const story = foundStory(storyId.includes('\u0000') ? null : await this.store.stories.updateStory(storyId, { hidden }), storyId);
    this.logger.info({ audit: hidden ? 'moderation.story_hidden' : 'moderation.story_unhidden', moderator, storyId, ownerId: story.ownerId, reason: reason ? this.#reason(reason) : undefined }, 'moderation');
    await audit(this.store, moderator, hidden ? 'story.hidden' : 'story.unhidden', `story:${storyId}`, requestId);
    return story;
  }

  async suspend(moderator: string, userId: string, reason: string, requestId: string | null = null): Promise<Suspension> {
    const suspension = await this.store.suspensions.suspend({ userId: this.#userId(userId), reason: this.#reason(reason), suspendedBy: moderator });
    this.#cache.set(userId, { suspended: true, until: this.clock.now() + this.#cacheMs });
    this.logger.info({ audit: 'moderation.user_suspended', moderator, userId, reason: suspension.reason }, 'moderation');
    await audit(this.store, moderator, 'user.suspended', `user:${userId}`, requestId);
    return suspension;
  }

  async unsuspend(moderator: string, userId: string, requestId: string | null = null): Promise<void> {
    const lifted = await this.store.suspensions.unsuspend(this.#userId(userId));
    this.#cache.set(userId, { suspended: false, until: this.clock.now() + this.#cacheMs });
    if (!lifted) throw new DramaError('not_found', `User ${userId} is not suspended`);
    this.logger.info({ audit: 'moderation.user_unsuspended', moderator, userId }, 'moderation');
    await audit(this.store, moderator, 'user.reinstated', `user:${userId}`, requestId);
  }

  listSuspensions(): Promise<Suspension[]> {
    return this.store.suspensions.list();
  }

  #userId(userId: string): string {
    if (userId.length === 0 || userId.length > 200 || userId.includes('\u0000')) throw new DramaError('bad_request', 'user id must be 1 to 200 characters, without NUL');
    return userId;
  }

  #reason(reason: string): string {
    return cleanText(reason).trim().slice(0, MAX_REASON_CHARS);
  }
}
