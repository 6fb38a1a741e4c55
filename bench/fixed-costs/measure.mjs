// The web process's CPU (and PostgreSQL's) per session start and per WebSocket open and close,
// from /proc. Run by run.sh: measure.mjs <base url> <web pid> <postmaster pid> [sessions]
import fs from 'node:fs';
import WebSocket from 'ws';
const [base, webPid, pgPid] = [process.argv[2], process.argv[3], process.argv[4]];
const cpu = (pid) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (+f[11] + +f[12]) * 10; };
// The postmaster and its children (one backend per connection).
const pgTree = () => {
  let t = 0;
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      if (f[1] === pgPid || p === pgPid) t += (+f[11] + +f[12]) * 10;
    } catch { /* gone meanwhile */ }
  }
  return t;
};
const j = async (m, u, b, tok) => { const r = await fetch(base + u, { method: m, headers: { 'content-type': 'application/json', ...(tok ? { authorization: `Bearer ${tok}` } : {}) }, body: b ? JSON.stringify(b) : undefined }); return r.json(); };
const { token } = await j('POST', '/api/auth/guest', {});
const stories = await j('GET', '/api/stories', null, token);
const storyId = (stories.stories ?? stories.items ?? stories)[0].id;
const N = +process.argv[5] || 300;
const ROUNDS = +process.argv[6] || 2;
for (let round = 0; round < ROUNDS; round++) {
  let w0 = cpu(webPid), p0 = pgTree();
  const ids = [];
  for (let i = 0; i < N; i += 20) { const part = await Promise.all(Array.from({ length: 20 }, () => j('POST', '/api/sessions', { story_id: storyId }, token))); ids.push(...part.map((s) => s.session_id)); }
  let w1 = cpu(webPid), p1 = pgTree();
  console.log(`round ${round} session start: web ${((w1 - w0) / N).toFixed(2)} ms, pg ${((p1 - p0) / N).toFixed(2)} ms`);
  const socks = [];
  for (let i = 0; i < N; i += 20) socks.push(...await Promise.all(ids.slice(i, i + 20).map((id) => new Promise((res, rej) => { const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/story/${id}?token=${token}&since=0`, { perMessageDeflate: false }); ws.once('open', () => res(ws)); ws.once('error', rej); }))));
  await new Promise((r) => setTimeout(r, 300));
  let w2 = cpu(webPid), p2 = pgTree();
  console.log(`round ${round} ws open: web ${((w2 - w1) / N).toFixed(2)} ms, pg ${((p2 - p1) / N).toFixed(2)} ms`);
  for (const s of socks) s.terminate();
  await new Promise((r) => setTimeout(r, 500));
  let w3 = cpu(webPid);
  console.log(`round ${round} ws close: web ${((w3 - w2) / N).toFixed(2)} ms`);
}

// Then a request of each kind a player makes or a polling client repeats, on the same process:
// its CPU and PostgreSQL's per request (no worker runs, so an accepted action's task stays queued).
const ids = [];
for (let i = 0; i < N; i += 20) ids.push(...(await Promise.all(Array.from({ length: 20 }, () => j('POST', '/api/sessions', { story_id: storyId }, token)))).map((s) => s.session_id));
const request = async (m, u, b) => { const r = await fetch(base + u, { method: m, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: b ? JSON.stringify(b) : undefined }); return { status: r.status, body: await r.json().catch(() => null) }; };
const kinds = [
  ['health check (GET /healthz)', () => request('GET', '/healthz')],
  ['guest token (POST /api/auth/guest)', () => request('POST', '/api/auth/guest', {})],
  ["a session's first action (202)", (i) => request('POST', '/api/story/action', { session_id: ids[i], user_input: 'I look around the room.' })],
  ['an action while a turn is queued (409)', (i) => request('POST', '/api/story/action', { session_id: ids[i], user_input: 'And again.' })],
  ['status of a queued task (poll)', (i) => request('GET', `/api/story/status/${tasks[i]}`)],
  ['status of an unknown task (404)', () => request('GET', '/api/story/status/00000000-0000-4000-8000-000000000000')],
];
const tasks = [];
for (const [label, call] of kinds) {
  const w0 = cpu(webPid), p0 = pgTree();
  const codes = {};
  for (let i = 0; i < N; i += 20) {
    const answers = await Promise.all(Array.from({ length: Math.min(20, N - i) }, (_, k) => call(i + k)));
    answers.forEach((a, k) => { codes[a.status] = (codes[a.status] ?? 0) + 1; if (a.body?.task_id && a.status === 202) tasks[i + k] = a.body.task_id; });
  }
  const w1 = cpu(webPid), p1 = pgTree();
  console.log(`${label}: web ${((w1 - w0) / N).toFixed(2)} ms, pg ${((p1 - p0) / N).toFixed(2)} ms ${JSON.stringify(codes)}`);
}
