import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { JoinOutcome, MemberRecord, MemberStore } from '../../domain/ports/member-store.js';
import { sessionInvites, sessionMembers, sessions } from '../schema/index.js';
import type { Db } from './query.js';

/** Members and invites of shared sessions (see MemberStore). */
export function createMemberRepo(db: Db): MemberStore {
  return {
    async createInvite(invite) {
      await db.insert(sessionInvites).values(invite);
    },

    join({ codeHash, userId, now, maxMembers }) {
      return db.transaction(async (tx): Promise<JoinOutcome> => {
        const [invite] = await tx.select().from(sessionInvites).where(eq(sessionInvites.codeHash, codeHash)).limit(1);
        if (!invite) return { kind: 'unknown' };
        // The session's row lock serializes joins (and the member count) across all its invites.
        const [session] = await tx.select({ ownerId: sessions.ownerId }).from(sessions).where(eq(sessions.id, invite.sessionId)).for('update');
        if (!session) return { kind: 'unknown' };
        if (session.ownerId === userId) return { kind: 'owner', sessionId: invite.sessionId };
        const [existing] = await tx
          .select({ role: sessionMembers.role })
          .from(sessionMembers)
          .where(and(eq(sessionMembers.sessionId, invite.sessionId), eq(sessionMembers.userId, userId)));
        if (existing) return { kind: 'already', sessionId: invite.sessionId, role: existing.role };
        if (invite.expiresAt && invite.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
        if (invite.maxUses !== null && invite.uses >= invite.maxUses) return { kind: 'used_up' };
        const [members] = await tx.select({ n: count() }).from(sessionMembers).where(eq(sessionMembers.sessionId, invite.sessionId));
        if (Number(members?.n ?? 0) + 1 >= maxMembers) return { kind: 'full', sessionId: invite.sessionId, limit: maxMembers };
        await tx.insert(sessionMembers).values({ sessionId: invite.sessionId, userId, role: invite.role });
        await tx.update(sessionInvites).set({ uses: sql`${sessionInvites.uses} + 1` }).where(eq(sessionInvites.codeHash, codeHash));
        // A session someone joined is shared: free turns (queued, not refused) unless the owner chose a mode.
        await tx.update(sessions).set({ turnMode: sql`coalesce(${sessions.turnMode}, 'free')` }).where(eq(sessions.id, invite.sessionId));
        return { kind: 'joined', sessionId: invite.sessionId, role: invite.role };
      });
    },

    async listMembers(sessionId): Promise<MemberRecord[]> {
      return db
        .select({ userId: sessionMembers.userId, role: sessionMembers.role, displayName: sessionMembers.displayName, joinedAt: sessionMembers.joinedAt })
        .from(sessionMembers)
        .where(eq(sessionMembers.sessionId, sessionId))
        .orderBy(asc(sessionMembers.joinedAt), asc(sessionMembers.userId));
    },

    async removeMember(sessionId, userId) {
      const rows = await db
        .delete(sessionMembers)
        .where(and(eq(sessionMembers.sessionId, sessionId), eq(sessionMembers.userId, userId)))
        .returning({ userId: sessionMembers.userId });
      return rows.length > 0;
    },

    async renameMember(sessionId, userId, displayName) {
      const rows = await db
        .update(sessionMembers)
        .set({ displayName })
        .where(and(eq(sessionMembers.sessionId, sessionId), eq(sessionMembers.userId, userId)))
        .returning({ userId: sessionMembers.userId });
      return rows.length > 0;
    },
  };
}
