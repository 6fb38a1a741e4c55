/**
 * TRUST_PROXY, parsed (for config validation and the HTTP layer's client address).
 * @module
 */
import proxyaddr from 'proxy-addr';

/** Whether the hop at `index` (0 = the socket peer) with address `addr` is a trusted proxy. */
export type TrustProxy = (addr: string, index: number) => boolean;

/**
 * TRUST_PROXY as a trust function: `false`/`0`/empty trusts nobody (the socket peer is the
 * client); a number trusts that many hops in front of us (`true` = 1, kept for old settings);
 * anything else is a comma-separated list of addresses, CIDR ranges or proxy-addr's names
 * (`loopback`, `linklocal`, `uniquelocal`). Throws on an entry that is none of these.
 */
export function parseTrustProxy(value: string): TrustProxy | null {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0') return null;
  const hops = v === 'true' ? 1 : /^\d+$/.test(v) ? Number(v) : null;
  if (hops !== null) return (_addr, index) => index < hops;
  return proxyaddr.compile(v.split(',').map((s) => s.trim()).filter(Boolean));
}
