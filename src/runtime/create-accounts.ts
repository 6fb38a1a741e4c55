import type { Env } from '../config/env.js';
import { AccountService } from '../domain/account-service.js';
import { ApiKeyService } from '../domain/api-keys.js';
import { ModerationService } from '../domain/moderation-service.js';
import type { Logger } from '../shared/log.js';
import { withAccounts } from '../http/auth/account-auth.js';
import type { TokenAuth } from '../http/auth/token-auth.js';
import type { Runtime } from './create-runtime.js';

/** API keys, moderation and guest claims for a web process, and its token auth extended with both. */
export function createAccounts(env: Env, runtime: Runtime, auth: TokenAuth, logger: Logger) {
  const { store, clock } = runtime.deps;
  const moderation = new ModerationService(store, clock, logger, { suspensionCacheMs: env.SUSPENSION_CACHE_MS });
  const accounts = {
    apiKeys: new ApiKeyService(store.apiKeys, clock, logger, { maxKeysPerUser: env.MAX_API_KEYS_PER_USER, audit: store.audit }),
    moderation,
    claims: new AccountService(store, moderation, logger),
  };
  return { accounts, auth: withAccounts(auth, accounts) };
}
