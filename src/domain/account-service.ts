/**
 * Accounts and the guests before them: a player who played as a guest and then signs in keeps
 * what they played (POST /api/auth/claim). Logged with `audit: "account.claim"`.
 * @module
 */
import { DramaError } from './errors.js';
import type { ClaimCounts } from './ports/account-store.js';
import type { Store } from './ports/store.js';
import type { Logger } from '../shared/log.js';

/** Who asks: a signed-in account, a guest, or an API key's owner. */
export interface Claimant {
  userId: string;
  kind: 'account' | 'guest' | 'api-key';
}

export interface ClaimResult {
  guestId: string;
  /** False when this account had claimed the guest before: nothing moved this time. */
  moved: boolean;
  /** What the claim moved (on a repeat, what the first claim moved). */
  counts: ClaimCounts;
  claimedAt: Date;
}

export class AccountService {
  constructor(
    private readonly store: Pick<Store, 'accounts'>,
    private readonly moderation: { assertNotSuspended(userId: string): Promise<void> },
    private readonly logger: Logger,
  ) {}

  /**
   * Give a guest's sessions, stories and API keys to the caller's account, once. `guestOf` checks
   * the guest's token (an auth concern) and runs only once the caller may claim at all.
   */
  async claimGuest(claimant: Claimant, guestOf: () => Promise<string>): Promise<ClaimResult> {
    if (claimant.kind !== 'account') throw new DramaError('forbidden', 'Sign in with an account to claim what a guest played');
    const guestId = await guestOf();
    if (guestId === claimant.userId) throw new DramaError('guest_token_invalid', 'That token is your own account');
    // A suspended guest's play does not launder into a fresh account.
    await this.moderation.assertNotSuspended(guestId);
    const claim = await this.store.accounts.claimGuest({ guestId, accountId: claimant.userId });
    if (claim.outcome === 'taken') throw new DramaError('guest_claimed', "Another account has already claimed this guest's play");
    if (claim.outcome === 'claimed') this.logger.info({ audit: 'account.claim', guestId, accountId: claimant.userId, ...claim.counts }, 'Guest play claimed');
    return { guestId, moved: claim.outcome === 'claimed', counts: claim.counts, claimedAt: claim.claimedAt };
  }
}
