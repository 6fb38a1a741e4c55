/**
 * The provider clients' HTTP (undici) against a real local server: streamed events (a character split
 * across TCP writes included), errors as retryable or not, aborts, cut-off streams, and
 * connections kept alive between calls.
 */
import { APICallError } from 'ai';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoint, postJson, readEvents, readJson, requestJson, type Endpoint } from './http.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end('{}');
const sockets = new Set<string>();
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(`${req.socket.remotePort}`);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const at = (): Endpoint => endpoint(base, '/chat/completions');
const rejection = async (p: Promise<unknown>) => p.then(() => expect.unreachable('resolved'), (err: unknown) => err);

describe('provider HTTP (undici, keep-alive)', () => {
  it('posts JSON with the given headers and reads a JSON answer', async () => {
    let seen: { headers: http.IncomingHttpHeaders; body: string; url?: string } | undefined;
    handler = (req, res, body) => {
      seen = { headers: req.headers, body, ...(req.url ? { url: req.url } : {}) };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: '好' }));
    };
    const answer = await requestJson<{ ok: string }>(at(), { authorization: 'Bearer k' }, { prompt: '你好' }, undefined);
    expect(answer).toEqual({ ok: '好' });
    expect(seen?.url).toBe('/v1/chat/completions');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers.authorization).toBe('Bearer k');
    expect(Number(seen?.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify({ prompt: '你好' })));
    expect(JSON.parse(seen!.body)).toEqual({ prompt: '你好' });
  });

  it('reads server-sent events as they come, joining a character split across writes', async () => {
    const event = Buffer.from('data: {"t":"雨が降る"}\n\n');
    const cut = event.indexOf(Buffer.from('が')) + 1; // inside the three bytes of が
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(event.subarray(0, cut));
      setTimeout(() => {
        res.write(event.subarray(cut));
        res.end('data: [DONE]\n\n');
      }, 20);
    };
    const data: string[] = [];
    const response = await postJson(at(), {}, {}, undefined);
    await readEvents(response, at(), undefined, (e) => data.push(e.data));
    expect(data).toEqual(['{"t":"雨が降る"}', '[DONE]']);
  });

  it('a 4xx/5xx is an APICallError with the status, headers and the provider message', async () => {
    handler = (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ error: { message: 'slow down' } }));
    };
    const err = await rejection(postJson(at(), {}, { a: 1 }, undefined));
    expect(APICallError.isInstance(err)).toBe(true);
    const e = err as APICallError;
    expect(e.statusCode).toBe(429);
    expect(e.message).toBe('slow down');
    expect(e.responseHeaders?.['retry-after']).toBe('7');
    expect(e.isRetryable).toBe(true);
    handler = (_req, res) => {
      res.writeHead(400);
      res.end('<html>bad gateway page</html>');
    };
    const bad = (await rejection(postJson(at(), {}, {}, undefined))) as APICallError;
    expect(bad.message).toBe('HTTP 400');
    expect(bad.isRetryable).toBe(false);
    expect(bad.responseBody).toContain('bad gateway page');
  });

  it('a body that is not JSON is a retryable provider failure', async () => {
    handler = (_req, res) => res.end('not json');
    const err = (await rejection(requestJson(at(), {}, {}, undefined))) as APICallError;
    expect(err.message).toBe('Invalid JSON response');
    expect(err.isRetryable).toBe(true);
  });

  it('a refused connection and a stream reset mid-body are retryable network errors', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = (await rejection(postJson(endpoint(`http://127.0.0.1:${port}`, '/x'), {}, {}, undefined))) as APICallError;
    expect(refused.message).toMatch(/^Cannot connect to API/);
    expect(refused.isRetryable).toBe(true);

    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"t":"half"}\n\n');
      setTimeout(() => req.socket.destroy(), 20);
    };
    const data: string[] = [];
    const response = await postJson(at(), {}, {}, undefined);
    const reset = (await rejection(readEvents(response, at(), undefined, (e) => data.push(e.data)))) as APICallError;
    expect(data).toEqual(['{"t":"half"}']);
    expect(reset.message).toMatch(/^Cannot connect to API/);
    expect(reset.isRetryable).toBe(true);
  });

  it("an event handler's error closes the stream and is the rejection, as is", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"error":"overloaded"}\n\n');
      // Never ends by itself: the client must close it.
    };
    const boom = new Error('provider said overloaded');
    const response = await postJson(at(), {}, {}, undefined);
    const err = await rejection(
      readEvents(response, at(), undefined, () => {
        throw boom;
      }),
    );
    expect(err).toBe(boom);
  });

  it('an abort mid-stream rejects with the signal reason and closes the request', async () => {
    let serverSawClose: Promise<void> | undefined;
    handler = (req, res) => {
      serverSawClose = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"t":"a"}\n\n');
    };
    const controller = new AbortController();
    const response = await postJson(at(), {}, {}, controller.signal);
    const reason = new Error('cancelled by the player');
    const reading = readEvents(response, at(), controller.signal, () => controller.abort(reason));
    expect(await rejection(reading)).toBe(reason);
    await serverSawClose;
    // Already aborted: nothing is sent.
    expect(await rejection(postJson(at(), {}, {}, controller.signal))).toBe(reason);
  });

  it('keeps connections alive between calls', async () => {
    handler = (_req, res) => res.end('{"n":1}');
    await requestJson(at(), {}, {}, undefined);
    sockets.clear();
    for (let i = 0; i < 10; i++) await requestJson(at(), {}, {}, undefined);
    // undici may open a second connection while the first is being released; never one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('readJson of a body the server cuts off is a network error', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 20);
    };
    const response = await postJson(at(), {}, {}, undefined);
    const err = (await rejection(readJson(response, at(), undefined))) as APICallError;
    expect(err.message).toMatch(/^Cannot connect to API/);
    expect(err.isRetryable).toBe(true);
  });
});
