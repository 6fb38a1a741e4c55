/**
 * Behind the real nginx with deploy/nginx.conf: every proxied location passes Host,
 * X-Forwarded-For, X-Forwarded-Proto and X-Request-Id (nginx does not merge proxy_set_header
 * into a location that sets its own); the request id comes back and is in the web server's log;
 * and with TRUST_PROXY=1 the per-address rate limit holds against forged X-Forwarded-For while two
 * client addresses (127.0.0.1 and 127.0.0.2, both loopback) get buckets of their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, freePort } from '../support/cluster.js';
import { eventually } from '../support/test-env.js';

/** An HTTP request from a chosen local address (127.0.0.x), so nginx sees distinct clients. */
function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.from ?? '127.0.0.1', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('deploy/nginx.conf passes the headers the app needs on every location', () => {
  let upstream: http.Server;
  let nginx: ChildProcess;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'md-nginx-headers-'));
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    // An upstream that only records what reaches it.
    upstream = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.end('ok');
    });
    upstream.on('upgrade', (req, socket) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamPort = (upstream.address() as { port: number }).port;
    port = await freePort();
    const conf = readFileSync('deploy/nginx.conf', 'utf8')
      .replace(/^\s*server web\d+:8000.*\n/gm, '')
      .replace('least_conn;', `least_conn;\n    server 127.0.0.1:${upstreamPort};`)
      .replace('listen 80;', `listen 127.0.0.1:${port};`)
      .replace('worker_processes auto;', `worker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;`)
      .replace('worker_connections 20000;', 'worker_connections 256;');
    writeFileSync(join(dir, 'nginx.conf'), conf);
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    await eventually(async () => ((await request(`http://127.0.0.1:${port}/nginx-health`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined));
  });
  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await new Promise((r) => upstream.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('API, SSE and WebSocket locations all forward Host, X-Forwarded-For, X-Forwarded-Proto and X-Request-Id', async () => {
    const base = `http://127.0.0.1:${port}`;
    await request(`${base}/api/stories`, { headers: { host: 'play.example.org', 'x-forwarded-for': '198.51.100.1' } });
    await request(`${base}/api/sessions/abc/events`, { headers: { host: 'play.example.org' } });
    await request(`${base}/ws/story/abc`, { headers: { host: 'play.example.org', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') } });
    const byPath = (p: string) => seen.find((s) => s.url.startsWith(p))?.headers;
    for (const path of ['/api/stories', '/api/sessions/abc/events', '/ws/story/abc']) {
      const h = byPath(path);
      expect(h, path).toBeDefined();
      expect(h!.host, path).toBe('play.example.org');
      expect(h!['x-forwarded-proto'], path).toBe('http');
      expect(h!['x-request-id'], path).toMatch(/^[0-9a-f]{32}$/);
      expect(String(h!['x-forwarded-for']).split(',').at(-1)!.trim(), path).toBe('127.0.0.1');
    }
    // A forged entry stays, to the left of what nginx appends.
    expect(byPath('/api/stories')!['x-forwarded-for']).toBe('198.51.100.1, 127.0.0.1');
    // Only the handshake asks the upstream to upgrade; the rest keep the upstream connection alive.
    expect(byPath('/ws/story/abc')!.upgrade).toBe('websocket');
    expect(String(byPath('/ws/story/abc')!.connection).toLowerCase()).toBe('upgrade');
    expect(String(byPath('/api/stories')!.connection ?? '')).not.toMatch(/upgrade|close/i);
    expect(String(byPath('/api/sessions/abc/events')!.connection ?? '')).not.toMatch(/upgrade|close/i);
  });
});

describe('client addresses behind nginx (TRUST_PROXY=1)', () => {
  const cluster = new Cluster({
    webs: 1,
    workers: 0,
    env: { TRUST_PROXY: '1', RATE_LIMIT_ACTIONS_PER_MINUTE: '0', RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '3', LOG_LEVEL: 'debug' },
  });
  let token: string;
  beforeAll(async () => {
    await cluster.start();
    token = JSON.parse((await request(`${cluster.url}/api/auth/guest`, { method: 'POST' })).body).token;
  }, 90_000);
  afterAll(() => cluster.stop(), 60_000);

  const act = (from: string, forged?: string) =>
    request(`${cluster.url}/api/story/action`, {
      method: 'POST',
      from,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(forged ? { 'x-forwarded-for': forged } : {}) },
      body: JSON.stringify({ session_id: 'no-such-session', user_input: 'hello' }),
    });

  it("the request id nginx made comes back in the response and is in the web server's log", async () => {
    const res = await request(`${cluster.url}/api/stories`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    await eventually(() => (cluster.webs[0]!.log().includes(`"requestId":"${id}"`) ? true : undefined), 5_000, 'the request id in the log');
  });

  it('a forged X-Forwarded-For on every request does not escape the limit; another address has its own bucket', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await act('127.0.0.1', `203.0.113.${i + 1}, 10.1.2.${i}`)).status);
    // 3 per minute per address: the unknown session answers 404 while allowed, then 429.
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const other = await act('127.0.0.2');
    expect(other.status).toBe(404);
    expect((await act('127.0.0.2', '127.0.0.1')).status).toBe(404);
    expect((await act('127.0.0.2')).status).toBe(404);
    expect((await act('127.0.0.2')).status).toBe(429);
  });
});
