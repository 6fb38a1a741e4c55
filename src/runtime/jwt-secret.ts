import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../shared/log.js';

/**
 * The signing secret for guest tokens: JWT_SECRET when set; otherwise one generated once and
 * kept in DATA_DIR (all-in-one mode), so tokens survive restarts without any setup.
 */
export function resolveJwtSecret(opts: { jwtSecret?: string; dataDir: string; embedded: boolean; logger: Logger }): Uint8Array {
  if (opts.jwtSecret) return new TextEncoder().encode(opts.jwtSecret);
  // An in-memory database (tests) has nowhere to keep a secret: tokens live as long as the process.
  if (opts.dataDir === ':memory:') return randomBytes(32);
  if (!opts.embedded) {
    opts.logger.warn({}, 'JWT_SECRET is not set: using a random secret; tokens stop working at restart and differ between servers');
    return randomBytes(32);
  }
  const file = join(opts.dataDir, 'jwt-secret');
  try {
    return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
  } catch {
    mkdirSync(opts.dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return new TextEncoder().encode(secret);
  }
}
