/**
 * The SSE transport's reading of the wire, with a fake fetch: frames split across chunks (even
 * mid-character), CRLF line ends, keepalive comments, and an `error` frame that ends the stream.
 * The end-to-end path against a real server is in event-stream.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { connectSse, type ConnectionEnd } from './transports.js';

function fakeFetch(chunks: Uint8Array[]) {
  return async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
    );
}

function run(chunks: Uint8Array[]) {
  const messages: unknown[] = [];
  let opened = 0;
  return new Promise<{ messages: unknown[]; opened: number; end: ConnectionEnd }>((resolve) => {
    connectSse(fakeFetch(chunks), { baseUrl: 'http://x', sessionId: 's', token: 't', since: undefined }, {
      onOpen: () => opened++,
      onMessage: (m) => messages.push(m),
      onEnd: (end) => resolve({ messages, opened, end }),
    });
  });
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('connectSse', () => {
  it('reads frames split anywhere, CRLF or LF, and skips keepalive comments', async () => {
    const wire = bytes(': keepalive\n\nevent: ready\ndata: {"session_id":"s"}\n\nid: 1\r\nevent: narration.delta\r\ndata: {"text":"é…"}\r\n\r\n: keepalive\n\nid: 2\ndata: {"n":\ndata: 2}\n\n');
    // One byte at a time: splits inside lines, inside CRLF, and inside multi-byte characters.
    const { messages, opened, end } = await run([...wire].map((b) => Uint8Array.of(b)));
    expect(opened).toBe(1);
    expect(messages).toEqual([{ text: 'é…' }, { n: 2 }]);
    expect(end).toEqual({ wasOpen: true });
  });

  it('ends for good at an `error` frame and ignores what follows it', async () => {
    const { messages, end } = await run([bytes('event: ready\ndata: {}\n\nevent: error\ndata: {"error":"token_expired"}\n\ndata: {"late":true}\n\n')]);
    expect(messages).toEqual([]);
    expect(end).toEqual({ final: 'unauthorized', wasOpen: true });
  });
});
