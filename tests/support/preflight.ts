/**
 * vitest globalSetup: before any test runs, check the services the suite uses (PostgreSQL, Redis,
 * nginx, Chromium). With one missing, stop within seconds with one message that lists what is
 * missing and how to start or install it, instead of hundreds of failures. CI has them all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import pg from 'pg';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Redis answers PING with +PONG (raw RESP, so a missing server costs one refused connect). */
function redisPings(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.once('error', () => done(false));
    s.once('data', (d) => done(d.toString().startsWith('+PONG')));
    s.connect(Number(u.port || 6379), u.hostname, () => s.write('PING\r\n'));
  });
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function findMissingServices(): Promise<string[]> {
  const [pgOk, redisOk] = await Promise.all([postgresAnswers(PG_URL), redisPings(REDIS_URL)]);
  const missing: string[] = [];
  if (!pgOk)
    missing.push(`PostgreSQL at ${PG_URL.replace(/:[^:@/]+@/, ':***@')} (TEST_DATABASE_URL): start it (\`pg_ctlcluster 15 main start\`, or \`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:15\`)`);
  if (!redisOk) missing.push(`Redis at ${REDIS_URL} (TEST_REDIS_URL): start it (\`redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save ''\`, or \`docker run -d -p 6379:6379 redis:7\`)`);
  if (spawnSync('nginx', ['-v']).error) missing.push('nginx: install it (`apt-get install -y nginx`; the tests start their own, no service needed)');
  if (!existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM} (CHROMIUM_PATH): install it (\`apt-get install -y --no-install-recommends chromium\`)`);
  return missing;
}

export default async function preflight(): Promise<void> {
  const missing = await findMissingServices();
  if (missing.length === 0) return;
  throw new Error(`The tests need services that are not available here:\n  - ${missing.join('\n  - ')}\nSee README.md, "Tests".`);
}
