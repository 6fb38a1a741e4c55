/** What moved from a guest to an account. */
export interface ClaimCounts {
  sessions: number;
  stories: number;
  apiKeys: number;
}

/**
 * The outcome of claiming a guest: `claimed` moved what the guest owned now; `already` means this
 * account claimed the guest before (nothing moved this time; `counts` are the first claim's);
 * `taken` means another account did.
 */
export type GuestClaim =
  | { outcome: 'claimed'; counts: ClaimCounts; claimedAt: Date }
  | { outcome: 'already'; counts: ClaimCounts; claimedAt: Date }
  | { outcome: 'taken' };

/** Moving a guest's play to an account. */
export interface AccountStore {
  /**
   * In one transaction: record the claim (once per guest) and give the guest's sessions, stories
   * and API keys to the account. A story whose slug the account already uses gets a suffixed slug.
   */
  claimGuest(input: { guestId: string; accountId: string }): Promise<GuestClaim>;
}
