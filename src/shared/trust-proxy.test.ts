import { describe, expect, it } from 'vitest';
import { loadEnv } from '../config/env.js';
import { parseTrustProxy } from './trust-proxy.js';

describe('TRUST_PROXY', () => {
  it('false, 0 or empty trust nobody; a number trusts that many hops; true is one hop', () => {
    for (const v of ['false', '0', '', ' FALSE ']) expect(parseTrustProxy(v)).toBeNull();
    const two = parseTrustProxy('2')!;
    expect([two('10.0.0.1', 0), two('10.0.0.2', 1), two('10.0.0.3', 2)]).toEqual([true, true, false]);
    const one = parseTrustProxy('true')!;
    expect([one('1.2.3.4', 0), one('1.2.3.4', 1)]).toEqual([true, false]);
  });

  it('a list of addresses, CIDRs and named ranges trusts exactly those', () => {
    const trust = parseTrustProxy('loopback, 10.0.0.0/8, 192.0.2.7')!;
    expect(trust('127.0.0.1', 0)).toBe(true);
    expect(trust('10.200.3.4', 1)).toBe(true);
    expect(trust('192.0.2.7', 2)).toBe(true);
    expect(trust('192.0.2.8', 0)).toBe(false);
    expect(trust('203.0.113.9', 0)).toBe(false);
  });

  it('refuses what is none of these at start, naming the variable', () => {
    expect(() => parseTrustProxy('10.0.0.0/99')).toThrow();
    expect(() => loadEnv({ TRUST_PROXY: 'nginx.internal' })).toThrow(/TRUST_PROXY/);
  });
});
