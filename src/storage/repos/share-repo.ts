import { and, eq, isNull } from 'drizzle-orm';
import type { ShareLink, ShareStore } from '../../domain/ports/share-store.js';
import { sessionShares } from '../schema/index.js';
import type { Db } from './query.js';

const LINK = { id: sessionShares.id, sessionId: sessionShares.sessionId, createdAt: sessionShares.createdAt };

const live = (sessionId: string) => and(eq(sessionShares.sessionId, sessionId), isNull(sessionShares.revokedAt));

/** Share links by token hash (`token_hash` is unique: a lookup is one index probe). */
export function createShareRepo(db: Db): ShareStore {
  return {
    replace: (link, at) =>
      db.transaction(async (tx) => {
        await tx.update(sessionShares).set({ revokedAt: at }).where(live(link.sessionId));
        const [row] = await tx.insert(sessionShares).values(link).returning(LINK);
        if (!row) throw new Error('share insert returned no row');
        return row;
      }),

    async revoke(sessionId, at) {
      const rows = await db.update(sessionShares).set({ revokedAt: at }).where(live(sessionId)).returning({ id: sessionShares.id });
      return rows.length > 0;
    },

    async findLive(tokenHash): Promise<ShareLink | null> {
      const [row] = await db
        .select(LINK)
        .from(sessionShares)
        .where(and(eq(sessionShares.tokenHash, tokenHash), isNull(sessionShares.revokedAt)))
        .limit(1);
      return row ?? null;
    },

    async liveFor(sessionId) {
      const [row] = await db.select(LINK).from(sessionShares).where(live(sessionId)).limit(1);
      return row ?? null;
    },
  };
}
