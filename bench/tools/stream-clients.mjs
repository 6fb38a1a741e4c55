// What reading a streamed reply costs through an HTTP client, read as the bytes come or paced:
// N streaming chat calls (C at a time, keep-alive) against the shared fake model, through undici
// (what src/llm/chat/http.ts uses) or Node's own http. Paced: once the reply's first text has
// arrived, the response is paused between ticks of a shared clock (`--pace-ms`), so the chunks of
// one window arrive in one read instead of one read each (bench/README.md, "A real model's
// stream"). With node:http the sockets are made with a 1-byte read high-water mark, so a paused
// response stops its socket reading; undici re-arms its socket whenever a body resumes, so pacing
// it gains nothing. Prints this process's CPU ms per call and the wall time of the run.
//   node bench/tools/stream-clients.mjs [--client undici|http] [--paced] [--pace-ms 50] [--calls 600] [--concurrency 100] [--port 8397]
import http from 'node:http';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import { createParser } from 'eventsource-parser';
import { Agent } from 'undici';

const { values } = parseArgs({
  options: {
    client: { type: 'string', default: 'undici' },
    paced: { type: 'boolean', default: false },
    'pace-ms': { type: 'string', default: '50' },
    calls: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '100' },
    port: { type: 'string', default: '8397' },
  },
});
const port = Number(values.port);
const calls = Number(values.calls);
const body = JSON.stringify({ model: 'fake', stream: true, messages: [{ role: 'user', content: 'I light the lamp. '.repeat(20) }] });

// Paced responses wait here for the next tick. At a tick each resumes, and pauses again once the
// reads it has waiting are in (a macrotask later).
let waiting = new Set();
const clock = setInterval(() => {
  const due = waiting;
  waiting = new Set();
  for (const response of due) {
    response.resume();
    setImmediate(() => {
      if (response.readableEnded || response.destroyed) return;
      response.pause();
      waiting.add(response);
    });
  }
}, Number(values['pace-ms']));

/** Reads one response's events; with --paced, holds it to the clock after its first text. */
function readReply(response) {
  return new Promise((resolve, reject) => {
    let chars = 0;
    let pacing = false;
    const parser = createParser({
      onEvent: (event) => {
        if (event.data === '[DONE]') return;
        chars += JSON.parse(event.data).choices?.[0]?.delta?.content?.length ?? 0;
      },
    });
    const decoder = new StringDecoder('utf8');
    response.on('data', (chunk) => {
      parser.feed(decoder.write(chunk));
      if (values.paced && chars > 0 && !pacing) {
        pacing = true;
        response.pause();
        waiting.add(response);
      }
    });
    response.on('end', () => resolve(chars));
    response.on('error', reject);
  });
}

const undici = new Agent({ keepAliveTimeout: 30_000 });
const nodeAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
if (values.paced) nodeAgent.createConnection = (options) => net.connect({ ...options, readableHighWaterMark: 1 });

async function callUndici() {
  const response = await undici.request({ origin: `http://127.0.0.1:${port}`, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return readReply(response.body);
}

function callHttp() {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent: nodeAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => readReply(response).then(resolve, reject),
    );
    request.on('error', reject);
    request.end(body);
  });
}

const call = values.client === 'http' ? callHttp : callUndici;
let started = 0;
const before = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    while (started < calls) {
      started++;
      await call();
    }
  }),
);
const used = process.cpuUsage(before);
clearInterval(clock);
console.log(JSON.stringify({ client: values.client, paced: values.paced, calls, cpuMsPerCall: +((used.user + used.system) / 1000 / calls).toFixed(3), wallS: +((performance.now() - t0) / 1000).toFixed(2) }));
await undici.close();
nodeAgent.destroy();
