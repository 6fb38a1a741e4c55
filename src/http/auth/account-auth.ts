/**
 * The last links of the credential chain: API keys (`md_…`) beside JWTs, and suspended accounts.
 * Every way in (HTTP, WebSocket before the upgrade or by first message, SSE, admin pages) verifies
 * through {@link TokenAuth.verify}, so wrapping it here covers them all.
 * @module
 */
import { isApiKey, type ApiKeyService } from '../../domain/api-keys.js';
import type { ModerationService } from '../../domain/moderation-service.js';
import type { TokenAuth } from './token-auth.js';

export interface AccountChecks {
  apiKeys: ApiKeyService;
  moderation: ModerationService;
}

/**
 * `auth`, also accepting API keys (as their owner, never as an admin, with no expiry), and
 * refusing every credential of a suspended user with `account_suspended`.
 */
export function withAccounts(auth: TokenAuth, checks: AccountChecks): TokenAuth {
  return {
    guestEnabled: auth.guestEnabled,
    issueGuest: () => auth.issueGuest(),
    verifyGuest: (token) => auth.verifyGuest(token),
    async verify(credential) {
      const principal = isApiKey(credential)
        ? await checks.apiKeys.authenticate(credential).then((key) => ({ userId: key.ownerId, expiresAt: null, admin: false, source: 'api-key', apiKeyId: key.id }))
        : await auth.verify(credential);
      await checks.moderation.assertNotSuspended(principal.userId);
      return principal;
    },
  };
}
