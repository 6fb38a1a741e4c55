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
