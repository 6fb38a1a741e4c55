import type { MemberRole } from '../types.js';

/** A member of a shared session (the owner is not one). */
export interface MemberRecord {
  userId: string;
  role: MemberRole;
  displayName: string | null;
  joinedAt: Date;
}

export interface NewInvite {
  codeHash: string;
  sessionId: string;
  role: MemberRole;
  maxUses: number | null;
  expiresAt: Date | null;
}

/** What joining by an invite did. */
export type JoinOutcome =
  | { kind: 'joined' | 'already'; sessionId: string; role: MemberRole }
  | { kind: 'owner'; sessionId: string }
  | { kind: 'unknown' | 'expired' | 'used_up' }
  | { kind: 'full'; sessionId: string; limit: number };

/** Members and invites of shared sessions. */
export interface MemberStore {
  createInvite(invite: NewInvite): Promise<void>;
  /**
   * Join the session of the invite whose hash is `codeHash`, in one transaction that locks the
   * session: someone already in it (the owner, a member) changes nothing and uses nothing; else the
   * invite must be live (`now` before its expiry, uses left) and the session below `maxMembers`
   * people counting its owner; then the user becomes a member and the invite counts a use.
   */
  join(input: { codeHash: string; userId: string; now: Date; maxMembers: number }): Promise<JoinOutcome>;
  /** Members in the order they joined. */
  listMembers(sessionId: string): Promise<MemberRecord[]>;
  /** False when the user was not a member. */
  removeMember(sessionId: string, userId: string): Promise<boolean>;
  /** False when the user is not a member. */
  renameMember(sessionId: string, userId: string, displayName: string): Promise<boolean>;
}
