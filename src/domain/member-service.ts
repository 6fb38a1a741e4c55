/**
 * Shared sessions: the owner invites players and spectators with a code, people join with it,
 * see who is in, rename themselves, leave, or are removed by the owner. Membership lives in the
 * database, so every web server and worker sees the same people. Watchers learn of joins and
 * departures through `member.joined` and `member.left`; a departed member's sockets close.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { audit } from './audit.js';
import { cleanText } from './clean-text.js';
import { publishCommitted } from './publish-committed.js';
import { DramaError } from './errors.js';
import type { MemberRecord } from './ports/member-store.js';
import type { TurnEventBody } from './ports/event-bus.js';
import type { SessionAccess } from './session-access.js';
import type { MemberRole, SessionRecord } from './types.js';

/** A display name is short, one line, and not empty. */
export const MAX_DISPLAY_NAME_CHARS = 40;
/** Invites last at most this long (and by default this long). */
export const MAX_INVITE_SECONDS = 30 * 24 * 3600;

export interface InviteRequest {
  role: MemberRole;
  maxUses?: number;
  expiresInS?: number;
}

export interface CreatedInvite {
  code: string;
  role: MemberRole;
  expiresAt: Date;
}

/** One person of a session as a listing shows them: the owner first, then members as they joined. */
export interface SessionPerson {
  userId: string;
  role: MemberRole | 'owner';
  displayName: string | null;
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

export class MemberService {
  constructor(
    private readonly service: SessionAccess,
    private readonly maxMembers: () => number,
  ) {}

  get #deps() {
    return this.service.deps;
  }

  /** A new invite to the owner's session; the code is shown once and stored only as a hash. */
  async createInvite(ownerId: string, sessionId: string, req: InviteRequest): Promise<CreatedInvite> {
    await this.service.sessionFor(ownerId, sessionId, 'own');
    const code = `inv_${randomBytes(18).toString('base64url')}`;
    const expiresAt = new Date(this.#deps.clock.now() + Math.min(req.expiresInS ?? MAX_INVITE_SECONDS, MAX_INVITE_SECONDS) * 1000);
    await this.#deps.store.members.createInvite({ codeHash: hashCode(code), sessionId, role: req.role, maxUses: req.maxUses ?? null, expiresAt });
    return { code, role: req.role, expiresAt };
  }

  /** Join by a code. Joining again (or the owner joining) changes nothing and answers the same. */
  async join(userId: string, code: string): Promise<{ sessionId: string; role: MemberRole | 'owner' }> {
    const outcome = await this.#deps.store.members.join({ codeHash: hashCode(code), userId, now: new Date(this.#deps.clock.now()), maxMembers: this.maxMembers() });
    switch (outcome.kind) {
      case 'unknown':
        throw new DramaError('not_found', 'No such invite');
      case 'expired':
        throw new DramaError('invite_expired', 'This invite has expired; ask for a new one');
      case 'used_up':
        throw new DramaError('invite_used_up', 'This invite has been used as often as it allows');
      case 'full':
        throw new DramaError('session_full', `The session has its ${outcome.limit} people`, { details: { limit: outcome.limit } });
      case 'owner':
        return { sessionId: outcome.sessionId, role: 'owner' };
      case 'already':
        return { sessionId: outcome.sessionId, role: outcome.role };
      case 'joined':
        await this.#announce(outcome.sessionId, { type: 'member.joined', userId, role: outcome.role, displayName: null });
        return { sessionId: outcome.sessionId, role: outcome.role };
    }
  }

  /** Everyone in the session, for its owner and members. */
  async list(userId: string, sessionId: string): Promise<SessionPerson[]> {
    const head = await this.service.sessionFor(userId, sessionId, 'read');
    const members: MemberRecord[] = await this.#deps.store.members.listMembers(sessionId);
    return [{ userId: head.ownerId, role: 'owner', displayName: null }, ...members.map((m) => ({ userId: m.userId, role: m.role, displayName: m.displayName }))];
  }

  /** The owner removes anyone; a member removes themself. Their access ends at once. */
  async remove(userId: string, sessionId: string, memberId: string, requestId: string | null = null): Promise<void> {
    const head = await this.service.sessionFor(userId, sessionId, 'read');
    if (head.ownerId !== userId && memberId !== userId) throw new DramaError('forbidden', 'Only the owner removes other members');
    if (memberId === head.ownerId) throw new DramaError('bad_request', 'The owner is not a member; delete the session instead');
    if (!(await this.#deps.store.members.removeMember(sessionId, memberId))) throw new DramaError('not_found', 'No such member');
    await audit(this.#deps.store, userId, 'member.removed', `session:${sessionId}/member:${memberId}`, requestId);
    await this.#announce(sessionId, { type: 'member.left', userId: memberId });
  }

  /** A member's name in this session: one line, 1–40 characters. */
  async rename(userId: string, sessionId: string, displayName: string): Promise<string> {
    const head = await this.service.sessionFor(userId, sessionId, 'read');
    const name = cleanText(displayName).replace(/\s+/gu, ' ').trim();
    if (name === '') throw new DramaError('bad_request', 'display_name is empty', { details: [{ path: 'display_name', message: 'required' }] });
    if ([...name].length > MAX_DISPLAY_NAME_CHARS) throw new DramaError('payload_too_large', `display_name is longer than ${MAX_DISPLAY_NAME_CHARS} characters`);
    if (head.ownerId === userId) throw new DramaError('bad_request', "The owner's name is their account's");
    await this.#deps.store.members.renameMember(sessionId, userId, name);
    await this.#announce(sessionId, { type: 'member.renamed', userId, displayName: name });
    return name;
  }

  /** The session for its owner or a member (GET /api/sessions/:id). */
  async view(userId: string, sessionId: string): Promise<SessionRecord> {
    const head = await this.service.sessionFor(userId, sessionId, 'read');
    return this.service.getSession(head.ownerId, sessionId);
  }

  #announce(sessionId: string, body: TurnEventBody): Promise<void> {
    return publishCommitted(this.#deps, sessionId, body);
  }
}
