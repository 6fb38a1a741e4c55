/**
 * The per-user WebSocket cap across two `mock-drama serve` processes sharing Redis: sockets on
 * one server count on the other, and the slots of a killed server lapse within WS_SLOT_TTL_MS.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, openEvents, type EventSocket } from '../support/clients.js';
import { Cluster, type Proc } from '../support/cluster.js';

const TTL_MS = 2_000;

/** The status of a refused upgrade, or 101 when the socket opened (then closed again). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!));
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', () => undefined);
  });
}

/** Open a socket, retrying while a just-closed one's slot is still being given back. */
async function openSoon(url: string): Promise<EventSocket> {
  for (let i = 0; ; i++) {
    try {
      return await openEvents(url);
    } catch (err) {
      if (i >= 50) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('WebSocket cap across web servers (Redis)', () => {
  const cluster = new Cluster({ webs: 0, workers: 0, env: { MAX_SOCKETS_PER_USER: '2', WS_SLOT_TTL_MS: String(TTL_MS), LOG_LEVEL: 'warn' } });
  let web1: Proc;
  let web2: Proc;
  const sockets: EventSocket[] = [];

  beforeAll(async () => {
    [web1, web2] = await Promise.all([cluster.addWeb('web1'), cluster.addWeb('web2')]);
  }, 90_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await cluster.stop();
  }, 60_000);

  it('holds the cap across both servers, and releases a killed server’s sockets within the TTL', async () => {
    const base = (p: Proc) => `http://127.0.0.1:${p.port}`;
    const guest = (await api(base(web1))('POST', '/api/auth/guest')).body;
    const storyId = (await api(base(web1), guest.token)('GET', '/api/stories')).body.stories[0].id;
    const sessionId = (await api(base(web1), guest.token)('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    const wsUrl = (p: Proc) => `ws://127.0.0.1:${p.port}/ws/story/${sessionId}?token=${guest.token}`;

    sockets.push(await openEvents(wsUrl(web1)), await openEvents(wsUrl(web1)));
    expect(await upgradeStatus(wsUrl(web2))).toBe(429);
    expect(await upgradeStatus(wsUrl(web1))).toBe(429);

    // A socket closed on web1 frees a place on web2.
    const first = sockets.shift()!;
    first.close();
    await first.closed;
    sockets.push(await openSoon(wsUrl(web2)));
    expect(await upgradeStatus(wsUrl(web2))).toBe(429);

    // web1 dies without closing anything: its slot stays taken until it lapses.
    web1.child.kill('SIGKILL');
    await web1.exited;
    const killedAt = Date.now();
    expect(await upgradeStatus(wsUrl(web2))).toBe(429);
    let status = 429;
    while (status === 429 && Date.now() - killedAt < TTL_MS + 5_000) {
      await new Promise((r) => setTimeout(r, 100));
      status = await upgradeStatus(wsUrl(web2));
    }
    expect(status).toBe(101);
    expect(Date.now() - killedAt).toBeLessThan(TTL_MS + 2_000);
    // web2's own live socket still counts: one more fits, then the cap holds again.
    sockets.push(await openSoon(wsUrl(web2)));
    expect(await upgradeStatus(wsUrl(web2))).toBe(429);
  }, 60_000);
});
