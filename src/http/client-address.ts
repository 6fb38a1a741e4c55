/**
 * Who the client is, behind proxies we trust (TRUST_PROXY), with proxy-addr's semantics: walk
 * X-Forwarded-For from the right (the entry the nearest proxy appended) and stop at the first
 * address that is not a trusted proxy. The leftmost entries are whatever the client sent, so
 * taking the first one would let anyone pick their own rate-limit bucket.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../shared/trust-proxy.js';

/** The client's address: through trusted proxies when `trust` is set, else the socket peer. */
export function clientAddress(c: Context, trust: TrustProxy | null | undefined): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (trust && incoming?.socket) return proxyaddr(incoming, trust);
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not behind @hono/node-server (app.request in unit tests).
    return 'unknown';
  }
}
