/**
 * A fake Supabase Realtime broadcast endpoint (`POST /realtime/v1/api/broadcast`), a real HTTP
 * server that records every message it took, in arrival order. `mode` makes it fail (500) or hold
 * requests without answering (a hung Realtime) until `release()`.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BroadcastMessage {
  topic: string;
  event: string;
  payload: { id: number; type: string; session_id: string; [k: string]: unknown };
}

export interface FakeRealtime {
  url: string;
  /** Messages accepted (202), in order. */
  messages: BroadcastMessage[];
  /** Requests seen, accepted or not. */
  requests: number;
  /** Headers of the last request. */
  lastHeaders: IncomingMessage['headers'];
  mode: 'ok' | 'fail' | 'hang';
  /** Answers every held request with 500. */
  release(): void;
  /** Resolves when `messages` has at least n entries. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeRealtime(): Promise<FakeRealtime> {
  const held: ServerResponse[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const fake: FakeRealtime = {
    url: '',
    messages: [],
    requests: 0,
    lastHeaders: {},
    mode: 'ok',
    release() {
      for (const res of held.splice(0)) res.writeHead(500).end();
    },
    waitFor(n) {
      return fake.messages.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      fake.requests++;
      fake.lastHeaders = req.headers;
      if (req.method !== 'POST' || req.url !== '/realtime/v1/api/broadcast') return void res.writeHead(404).end();
      if (fake.mode === 'hang') return void held.push(res);
      if (fake.mode === 'fail') return void res.writeHead(500).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: BroadcastMessage[] };
      fake.messages.push(...body.messages);
      res.writeHead(202).end();
      for (const w of waiters.filter((x) => fake.messages.length >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
