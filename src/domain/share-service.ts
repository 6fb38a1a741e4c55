/**
 * Read-only links to a session's transcript. A token is `sh_` + 24 random bytes (192 bits,
 * base64url), shown once; only its SHA-256 is stored, as for API keys. A session has one live
 * link at most: sharing again replaces it (the old link stops working), since a stored hash
 * cannot give the token back. Revoking takes effect on the next read.
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SessionAccess } from './session-access.js';
import { audit } from './audit.js';
import { DramaError } from './errors.js';
import { transcriptSources } from './session-export.js';
import { buildTranscript, type Transcript } from './transcript.js';

const TOKEN_SHAPE = /^sh_[A-Za-z0-9_-]{32}$/;

export function hashShareToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class ShareService {
  constructor(private readonly service: SessionAccess) {}

  get #store() {
    return this.service.deps.store;
  }

  /** A new link to the caller's session (replacing its live one); the token is never available again. */
  async share(ownerId: string, sessionId: string, requestId: string | null = null): Promise<{ token: string; createdAt: Date }> {
    await this.service.getSession(ownerId, sessionId);
    const token = `sh_${randomBytes(24).toString('base64url')}`;
    const link = await this.#store.shares.replace({ id: randomUUID(), sessionId, tokenHash: hashShareToken(token) }, new Date(this.service.deps.clock.now()));
    this.service.deps.logger.info({ audit: 'session.shared', ownerId, sessionId }, 'session shared');
    await audit(this.#store, ownerId, 'share.created', `session:${sessionId}`, requestId);
    return { token, createdAt: link.createdAt };
  }

  /** Whether the caller's session has a live link, and since when. */
  async status(ownerId: string, sessionId: string): Promise<{ sharedAt: Date | null }> {
    await this.service.getSession(ownerId, sessionId);
    return { sharedAt: (await this.#store.shares.liveFor(sessionId))?.createdAt ?? null };
  }

  /** Revoke the session's live link (none: nothing to do). */
  async revoke(ownerId: string, sessionId: string, requestId: string | null = null): Promise<void> {
    await this.service.getSession(ownerId, sessionId);
    if (await this.#store.shares.revoke(sessionId, new Date(this.service.deps.clock.now()))) {
      this.service.deps.logger.info({ audit: 'session.unshared', ownerId, sessionId }, 'share link revoked');
      await audit(this.#store, ownerId, 'share.revoked', `session:${sessionId}`, requestId);
    }
  }

  /** The transcript behind a live token; `not_found` for anything else (malformed, unknown, revoked). */
  async read(token: string): Promise<Transcript> {
    const link = TOKEN_SHAPE.test(token) ? await this.#store.shares.findLive(hashShareToken(token)) : null;
    const session = link ? await this.#store.sessions.getSession(link.sessionId) : null;
    if (!link || !session) throw new DramaError('not_found', 'This shared link does not exist or was revoked');
    const story = await this.#store.stories.getStory(session.storyId);
    // A story a moderator hid is shown to no one but its owner: nor through someone's link.
    if (!story || story.hidden) throw new DramaError('not_found', 'This shared link does not exist or was revoked');
    const contents = await this.#store.transfer.contents(session.id);
    return buildTranscript(story.title, transcriptSources(contents.turns));
  }
}
