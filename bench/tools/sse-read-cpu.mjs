// What reading a streamed reply costs by itself, on bare sockets: N streaming chat calls (C at a
// time, keep-alive) against the shared fake model, read either as the bytes come (one read and one
// callback per chunk, as every HTTP client does) or paced (after each read the socket stops
// reading until the next tick of a shared clock, so the chunks of one window arrive in one read).
// Prints this process's CPU ms per call. No HTTP library: the floor under any client.
// `--tls` reads through TLS, as from a real provider: a TLS terminator in a child process (its
// certificate made by `openssl` for the run) forwards to the fake, so only the client's side of
// TLS is in this process's figure.
//   node bench/tools/sse-read-cpu.mjs [--mode plain|paced] [--pace-ms 50] [--calls 3000] [--concurrency 100] [--port 8397] [--tls]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { mode: { type: 'string', default: 'plain' }, 'pace-ms': { type: 'string', default: '50' }, calls: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '100' }, port: { type: 'string', default: '8397' }, tls: { type: 'boolean', default: false } },
});
const paced = values.mode === 'paced';
const paceMs = Number(values['pace-ms']);
const calls = Number(values.calls);
const port = Number(values.port);
const body = JSON.stringify({ model: 'fake', stream: true, messages: [{ role: 'user', content: 'I light the lamp. '.repeat(20) }] });
const request = `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

// With --tls: a terminator in a child process (so its CPU is not this process's), on an
// ephemeral port, with a certificate made for this run.
let terminator = null;
let connectPort = port;
if (values.tls) {
  const dir = mkdtempSync(join(tmpdir(), 'sse-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const source = `
    const net = require('node:net'), tls = require('node:tls'), fs = require('node:fs');
    const server = tls.createServer({ key: fs.readFileSync(${JSON.stringify(key)}), cert: fs.readFileSync(${JSON.stringify(cert)}) }, (client) => {
      const upstream = net.connect(${port}, '127.0.0.1');
      upstream.setNoDelay(true);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy()); upstream.on('error', () => client.destroy());
    });
    server.listen(0, '127.0.0.1', () => process.send(server.address().port));`;
  terminator = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  connectPort = await new Promise((resolve) => terminator.once('message', resolve));
  rmSync(dir, { recursive: true, force: true });
}

// Paced sockets wait here for the next tick; the interval keeps the process alive meanwhile.
let waiting = [];
const clock = setInterval(() => {
  const due = waiting;
  waiting = [];
  for (const resume of due) resume();
}, paceMs);

function connection() {
  const socket = values.tls ? tls.connect({ port: connectPort, host: '127.0.0.1', rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let text = '';
  let events = 0;
  let finish = null;
  socket.on('data', (bytes) => {
    text += bytes.toString('latin1');
    for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
      const event = text.slice(0, end);
      text = text.slice(end + 2);
      const at = event.indexOf('data: ');
      if (at >= 0 && !event.includes('[DONE]')) {
        JSON.parse(event.slice(at + 6));
        events++;
      }
    }
    if (text.includes('0\r\n\r\n')) {
      // The chunked body's last chunk: the reply is complete.
      text = '';
      const done = finish;
      finish = null;
      return done(events);
    }
    if (paced) {
      socket._handle.readStop();
      waiting.push(() => socket._handle?.readStart());
    }
  });
  return {
    call() {
      events = 0;
      return new Promise((resolve) => {
        finish = resolve;
        socket.write(request);
        if (paced) socket._handle?.readStart();
      });
    },
  };
}

let started = 0;
let totalEvents = 0;
const before = process.cpuUsage();
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    const c = connection();
    while (started < calls) {
      started++;
      const events = await c.call();
      totalEvents += events;
    }
  }),
);
const used = process.cpuUsage(before);
clearInterval(clock);
terminator?.kill();
console.log(JSON.stringify({ mode: values.mode, tls: values.tls, paceMs: paced ? paceMs : undefined, calls, cpuMsPerCall: +((used.user + used.system) / 1000 / calls).toFixed(3), eventsPerCall: +(totalEvents / calls).toFixed(1) }));
process.exit(0);
