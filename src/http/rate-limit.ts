/**
 * Per-user and per-IP rate limits on the routes that cost something (actions run models, uploads
 * compile ink). Refusals are `429 rate_limited` with Retry-After, through the usual error mapping.
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import { DramaError } from '../domain/errors.js';
import type { AppEnv, HttpDeps } from './app-context.js';
import { clientAddress } from './client-address.js';

export interface RateLimitRule {
  /** Counter name, e.g. "action". */
  name: string;
  method: string;
  perUser: number;
  perIp: number;
  windowMs: number;
}

/** Count the request against the user's and the IP's windows; the first exceeded one refuses it. */
export function rateLimit(deps: HttpDeps, rule: RateLimitRule): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = deps.rateLimiter;
    if (!limiter || c.req.method !== rule.method) return next();
    const checks: { scope: 'user' | 'ip'; key: string; limit: number }[] = [];
    if (rule.perUser > 0) checks.push({ scope: 'user', key: `${rule.name}:u:${c.get('userId')}`, limit: rule.perUser });
    if (rule.perIp > 0) checks.push({ scope: 'ip', key: `${rule.name}:ip:${clientAddress(c, deps.security?.trustProxy)}`, limit: rule.perIp });
    // Both windows in one step (one Redis round trip on every action, not two).
    const refused = await limiter.hitEach(checks, rule.windowMs);
    if (refused) {
      const { scope, limit } = checks[refused.index]!;
      const retryAfter = Math.max(1, Math.ceil(refused.result.retryAfterMs / 1000));
      throw new DramaError('rate_limited', `Too many ${rule.name} requests for this ${scope === 'user' ? 'account' : 'address'}; retry in ${retryAfter} s`, {
        details: { scope, limit, window_seconds: Math.round(rule.windowMs / 1000), retry_after_seconds: retryAfter },
      });
    }
    await next();
  };
}
