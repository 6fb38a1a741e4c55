import { and, eq, sql } from 'drizzle-orm';
import type { AccountStore, ClaimCounts } from '../../domain/ports/account-store.js';
import { apiKeys, guestClaims, sessions, stories } from '../schema/index.js';
import type { Db } from './query.js';

/** Claims of guests by accounts: the `guest_claims` row and the owner columns it moves. */
export function createAccountRepo(db: Db): AccountStore {
  return {
    claimGuest({ guestId, accountId }) {
      return db.transaction(async (tx) => {
        // The row first: a concurrent claim of the same guest waits here on the primary key,
        // then finds this one and moves nothing.
        const [fresh] = await tx
          .insert(guestClaims)
          .values({ guestId, accountId, sessions: 0, stories: 0, apiKeys: 0 })
          .onConflictDoNothing()
          .returning({ claimedAt: guestClaims.claimedAt });
        if (!fresh) {
          const [prior] = await tx.select().from(guestClaims).where(eq(guestClaims.guestId, guestId)).limit(1);
          if (!prior || prior.accountId !== accountId) return { outcome: 'taken' as const };
          return { outcome: 'already' as const, counts: { sessions: prior.sessions, stories: prior.stories, apiKeys: prior.apiKeys }, claimedAt: prior.claimedAt };
        }
        const movedSessions = await tx.update(sessions).set({ ownerId: accountId }).where(eq(sessions.ownerId, guestId)).returning({ id: sessions.id });
        // Slugs are unique per owner: a guest's story named like one of the account's keeps its
        // title and gets the slug `<slug>-<first 8 of its id>`.
        const movedStories = await tx
          .update(stories)
          .set({
            ownerId: accountId,
            slug: sql`case when exists (select 1 from ${stories} o where o.owner_id = ${accountId} and o.slug = ${stories.slug}) then ${stories.slug} || '-' || left(${stories.id}, 8) else ${stories.slug} end`,
            updatedAt: sql`now()`,
          })
          .where(eq(stories.ownerId, guestId))
          .returning({ id: stories.id });
        const movedKeys = await tx.update(apiKeys).set({ ownerId: accountId }).where(eq(apiKeys.ownerId, guestId)).returning({ id: apiKeys.id });
        const counts: ClaimCounts = { sessions: movedSessions.length, stories: movedStories.length, apiKeys: movedKeys.length };
        await tx.update(guestClaims).set(counts).where(and(eq(guestClaims.guestId, guestId), eq(guestClaims.accountId, accountId)));
        return { outcome: 'claimed' as const, counts, claimedAt: fresh.claimedAt };
      });
    },
  };
}
