/**
 * Redis restarted under load (a Redis of the test's own, with an append-only file as in the
 * compose file): no committed turn is lost, every accepted turn ends completed or failed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/clients.js';
import { Cluster, freePort } from '../support/cluster.js';
import { eventually } from '../support/test-env.js';

const PLAYERS = 20;
const TURNS = 3;

function startRedis(port: number, dir: string): void {
  const r = spawnSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--logfile', join(dir, 'redis.log')]);
  if (r.status !== 0) throw new Error(`redis-server failed: ${r.stderr}`);
}

async function redisUp(port: number): Promise<boolean> {
  return spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG';
}

describe('Redis restarted mid-load', () => {
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'md-redis-'));
  let cluster: Cluster;

  beforeAll(async () => {
    port = await freePort();
    startRedis(port, dir);
    await eventually(async () => ((await redisUp(port)) ? true : undefined), 10_000, 'test redis');
    cluster = new Cluster({ webs: 1, workers: 2, env: { REDIS_URL: `redis://127.0.0.1:${port}`, OFFLINE_CHUNK_DELAY_MS: '5', TURN_BACKOFF_MS: '300' } });
    await cluster.start();
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop().catch(() => undefined);
    spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
  }, 60_000);

  it('loses no committed turn; every accepted turn completes or fails visibly', async () => {
    const guest = await api(cluster.url)('POST', '/api/auth/guest');
    const storyId = (await api(cluster.url, guest.body.token)('GET', '/api/stories')).body.stories[0].id;
    const outcomes: { sessionId: string; taskId: string; status: string }[] = [];
    const transcripts = new Map<string, () => Promise<number[]>>();
    let restarted = false;
    const restart = (async () => {
      await new Promise((r) => setTimeout(r, 1500));
      spawnSync('redis-cli', ['-p', String(port), 'shutdown']); // SHUTDOWN flushes the AOF
      await new Promise((r) => setTimeout(r, 1000));
      startRedis(port, dir);
      restarted = true;
    })();
    await Promise.all(
      Array.from({ length: PLAYERS }, async () => {
        const player = await api(cluster.url)('POST', '/api/auth/guest');
        const call = api(cluster.url, player.body.token);
        const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
        transcripts.set(sessionId, async () => (await call('GET', `/api/sessions/${sessionId}/turns`)).body.turns.map((x: { turn_no: number; task_id: string | null }) => x.turn_no));
        for (let t = 0; t < TURNS; t++) {
          const res = await eventually(async () => {
            const r = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'hum a tune' }, { 'idempotency-key': `${sessionId}-${t}` }).catch(() => null);
            return r && r.status === 202 ? r : undefined;
          }, 30_000, 'an accepted action');
          const taskId = res.body.task_id as string;
          const final = await eventually(async () => {
            const s = await call('GET', `/api/story/status/${taskId}`).catch(() => null);
            return s && ['completed', 'failed'].includes(s.body?.status) ? s.body : undefined;
          }, 60_000, `task ${taskId} to finish`);
          outcomes.push({ sessionId, taskId, status: final.status });
        }
      }),
    );
    await restart;
    expect(restarted).toBe(true);
    expect(outcomes).toHaveLength(PLAYERS * TURNS);
    // Every completed task is exactly one committed turn, and transcripts have no gaps.
    for (const [sessionId, read] of transcripts) {
      const turnNos = await read();
      const done = outcomes.filter((o) => o.sessionId === sessionId && o.status === 'completed').length;
      expect(turnNos).toEqual(Array.from({ length: done + 1 }, (_, i) => i));
    }
    const completed = outcomes.filter((o) => o.status === 'completed').length;
    expect(completed).toBeGreaterThan(0);
    // How the outage played out, for the record.
    console.info(`redis restart: ${completed} completed, ${outcomes.length - completed} failed of ${outcomes.length}`);
  }, 180_000);
});
