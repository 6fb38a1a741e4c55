// The lock keeper's thread (see lock-keeper.ts). Plain ESM so it loads without the TypeScript
// loader. It renews the BullMQ locks of the jobs its worker runs, on its own event loop and its
// own Redis connection, so a main thread saturated with turns cannot make its locks lapse.
import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';

const { url, connectionName, stalledKey, baseKey, lockMs, renewMs, maxMainStallMs, heartbeat } = workerData;
const beat = new BigInt64Array(heartbeat);

// Mirrors BullMQ's extendLocks script, with the ids and tokens as plain arguments: for each job
// whose lock still holds its token, push the expiry out and take it off the stalled list.
// KEYS[1] = stalled set. ARGV = baseKey, lockMs, id1, token1, id2, token2, ...
const EXTEND_LUA = `
local failed = {}
for i = 3, #ARGV, 2 do
  local lockKey = ARGV[1] .. ARGV[i] .. ':lock'
  if redis.call('GET', lockKey) == ARGV[i + 1] then
    redis.call('SET', lockKey, ARGV[i + 1], 'PX', ARGV[2])
    redis.call('SREM', KEYS[1], ARGV[i])
  else
    table.insert(failed, ARGV[i])
  end
end
return failed
`;

const redis = new Redis(url, { maxRetriesPerRequest: 1, connectionName, lazyConnect: false });
redis.on('error', () => undefined); // reconnects on its own; a failed renewal is reported per job
// The worker takes no job before this: a lock taken before the keeper could renew it would lapse.
redis.once('ready', () => parentPort.postMessage({ op: 'ready' }));
redis.defineCommand('mdExtendLocks', { numberOfKeys: 1, lua: EXTEND_LUA });

/** job id → lock token */
const jobs = new Map();
let wedgedSince = 0;

parentPort.on('message', (m) => {
  if (m.op === 'track') jobs.set(m.id, m.token);
  else if (m.op === 'untrack') jobs.delete(m.id);
  else if (m.op === 'close') {
    clearInterval(timer);
    redis.disconnect();
    parentPort.close();
  }
});

async function renew() {
  if (jobs.size === 0) return;
  // A main thread that has not beaten for this long is stuck, not busy: let its locks lapse so
  // another worker takes its turns, as if the process had died.
  const silentMs = Date.now() - Number(Atomics.load(beat, 0));
  if (silentMs > maxMainStallMs) {
    if (!wedgedSince) parentPort.postMessage({ op: 'wedged', silentMs });
    wedgedSince ||= Date.now();
    return;
  }
  wedgedSince = 0;
  const entries = [...jobs];
  const args = [];
  for (const [id, token] of entries) args.push(id, token);
  try {
    const failed = await redis.mdExtendLocks(stalledKey, baseKey, lockMs, ...args);
    for (const id of failed) {
      // Finished jobs' locks are gone too: the main thread tells which were still running.
      if (jobs.delete(id)) parentPort.postMessage({ op: 'lost', id });
    }
    parentPort.postMessage({ op: 'renewed', count: entries.length - failed.length });
  } catch (err) {
    parentPort.postMessage({ op: 'error', message: String(err?.message ?? err) });
  }
}

let running = false;
const timer = setInterval(() => {
  if (running) return;
  running = true;
  renew().finally(() => (running = false));
}, renewMs);
