// A sketch of the least a turn queue on Redis needs, to measure what BullMQ costs above it
// (bench/tools/bullmq-cpu.mjs --queue lean). Not used by mock-drama. What it keeps of BullMQ's
// guarantees, so that the comparison is fair:
// - a job is taken atomically onto its worker's own active list, so a dead worker's jobs are found
//   and put back (at least once; mock-drama's commit is exactly once on its own);
// - a task's state (queued, processing, completed) and attempts in a hash, for status polls, kept
//   300 s after it finished;
// - liveness per worker process, not per job: one heartbeat key a second per worker, and a
//   reaper that moves the jobs of workers whose heartbeat lapsed back to the wait list.
// What it leaves out (cold paths, none on a turn's way): retries with backoff (a delayed sorted
// set and a promoter), cancels, counts, an admin UI.
import { randomUUID } from 'node:crypto';

// KEYS: wait, task. ARGV: job JSON, task TTL ms.
const ENQUEUE = `
redis.call('HSET', KEYS[2], 'state', 'queued', 'attempts', 0)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return redis.call('LPUSH', KEYS[1], ARGV[1])
`;

// KEYS: active, task. ARGV: job JSON, result, task TTL ms.
const FINISH = `
redis.call('LREM', KEYS[1], -1, ARGV[1])
redis.call('HSET', KEYS[2], 'state', 'completed', 'result', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

// KEYS: workers set, wait. ARGV: key prefix. Puts back the jobs of workers whose heartbeat lapsed.
const REAP = `
local moved = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'alive:' .. w) == 0 then
    while redis.call('LMOVE', ARGV[1] .. 'active:' .. w, KEYS[2], 'RIGHT', 'RIGHT') do moved = moved + 1 end
    redis.call('SREM', KEYS[1], w)
  end
end
return moved
`;

const TASK_TTL_MS = 300_000;

export class LeanQueue {
  constructor(redis, prefix) {
    this.redis = redis;
    this.prefix = `${prefix}:`;
    redis.defineCommand('leanEnqueue', { numberOfKeys: 2, lua: ENQUEUE });
  }

  add(taskId, data) {
    return this.redis.leanEnqueue(`${this.prefix}wait`, `${this.prefix}task:${taskId}`, JSON.stringify({ ...data, taskId }), TASK_TTL_MS);
  }
}

export class LeanWorker {
  /** `blocking`: a connection of its own for the wait when the list is empty. */
  constructor({ redis, blocking, prefix, concurrency, process, onCompleted }) {
    Object.assign(this, { redis, blocking, concurrency, process, onCompleted });
    this.prefix = `${prefix}:`;
    this.id = randomUUID();
    this.active = 0;
    this.closed = false;
    redis.defineCommand('leanFinish', { numberOfKeys: 2, lua: FINISH });
    redis.defineCommand('leanReap', { numberOfKeys: 2, lua: REAP });
  }

  async start() {
    const beat = () => this.redis.set(`${this.prefix}alive:${this.id}`, '1', 'PX', 5000);
    await beat();
    await this.redis.sadd(`${this.prefix}workers`, this.id);
    this.heart = setInterval(beat, 1000);
    this.reaper = setInterval(() => this.redis.leanReap(`${this.prefix}workers`, `${this.prefix}wait`, this.prefix), 3000);
    void this.#fill();
  }

  // One job per round trip on the blocking connection, as players' actions arrive one at a time
  // and the list is empty most of the time; marking jobs as processing goes on the command
  // connection, one call for all the jobs taken in the same turn of the event loop.
  async #fill() {
    while (!this.closed) {
      if (this.active >= this.concurrency) return;
      const job = await this.blocking.blmove(`${this.prefix}wait`, `${this.prefix}active:${this.id}`, 'RIGHT', 'LEFT', 1).catch(() => null);
      if (job) this.#run(job);
    }
  }

  #markProcessing(taskId) {
    (this.marks ??= []).push(taskId);
    if (this.marks.length > 1) return;
    setImmediate(() => {
      const ids = this.marks;
      this.marks = [];
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hset(`${this.prefix}task:${id}`, 'state', 'processing');
      void pipeline.exec();
    });
  }

  #run(job) {
    this.active++;
    const data = JSON.parse(job);
    this.#markProcessing(data.taskId);
    void this.process(data).then(async (result) => {
      await this.redis.leanFinish(`${this.prefix}active:${this.id}`, `${this.prefix}task:${data.taskId}`, job, JSON.stringify(result), TASK_TTL_MS);
      this.active--;
      this.onCompleted?.();
      if (this.active === this.concurrency - 1) void this.#fill();
    });
  }

  close() {
    this.closed = true;
    clearInterval(this.heart);
    clearInterval(this.reaper);
  }
}
