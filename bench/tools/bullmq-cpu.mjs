// What BullMQ itself costs per job, without a turn around it: a producer process adds N jobs shaped
// like a turn's (its payload and options, RATE a second) and a worker process takes them with the
// distributed worker's settings (concurrency 256, 5 s locks, 3 s stall checks), each job waiting
// 1 s as a turn waits on its model. Prints each process's CPU ms per job, and redis-server's
// (from /proc, so run nothing else on this Redis meanwhile). `--queue lean` runs the same load on
// a sketch of the least a turn queue on Redis needs (lean-queue.mjs) instead: what BullMQ costs
// above that floor. Uses Redis database 9 under a prefix of its own, removed at the start.
//   node bench/tools/bullmq-cpu.mjs [--jobs 3000] [--rate 200] [--queue bullmq|lean] [--redis redis://127.0.0.1:6379/9]
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { LeanQueue, LeanWorker } from './lean-queue.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { jobs: { type: 'string', default: '3000' }, rate: { type: 'string', default: '200' }, queue: { type: 'string', default: 'bullmq' }, redis: { type: 'string', default: 'redis://127.0.0.1:6379/9' } },
});
const jobs = Number(values.jobs), rate = Number(values.rate);
const prefix = 'md-bullmq-cpu';
const connect = () => new Redis(values.redis, { maxRetriesPerRequest: null });
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const role = positionals[0] ?? 'main';
const lean = values.queue === 'lean';
/**
 * redis-server's CPU ms so far (every redis-server on the machine: run nothing else on them). Read
 * here rather than through bench/lib/proc.ts: this tool runs under plain node, and under tsx its
 * producer measured ~0.03 ms a job more.
 */
const redisCpuMs = () => {
  let ticks = 0;
  for (const pid of execFileSync('pgrep', ['-x', 'redis-server']).toString().trim().split('\n')) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10; // USER_HZ is 100
};

if (role === 'producer') {
  const queue = lean ? new LeanQueue(connect(), prefix) : new Queue('turns', { connection: connect(), prefix, streams: { events: { maxLen: 0 } } });
  if (!lean) await queue.waitUntilReady();
  const data = { sessionId: 's'.repeat(36), ownerId: 'u'.repeat(36), input: 'I open the door and look around the room.', action: 'do', enqueuedAt: Date.now(), turnNo: 3 };
  const opts = { attempts: 3, removeOnComplete: { age: 300, count: 20_000 }, removeOnFail: { age: 24 * 3600 } };
  const start = cpuMs();
  // A tenth of a second's jobs at a time, as players' actions arrive.
  for (let i = 0; i < jobs; ) {
    const batch = [];
    for (let k = 0; k < rate / 10 && i < jobs; k++, i++) batch.push(lean ? queue.add(`t${i}`, data) : queue.add('turn', { ...data, taskId: `t${i}` }, { ...opts, jobId: `t${i}` }));
    await Promise.all(batch);
    await new Promise((r) => setTimeout(r, 100));
  }
  process.send({ producerCpuMsPerJob: +((cpuMs() - start) / jobs).toFixed(3) });
  if (!lean) await queue.close();
  process.exit(0);
} else if (role === 'worker') {
  let done = 0;
  let start;
  const turn = async () => {
    start ??= cpuMs();
    await new Promise((r) => setTimeout(r, 1000));
    return { turnNo: 3 };
  };
  const completed = () => {
    if (++done < jobs) return;
    process.send({ workerCpuMsPerJob: +((cpuMs() - start) / jobs).toFixed(3) });
    process.exit(0);
  };
  if (lean) {
    await new LeanWorker({ redis: connect(), blocking: connect(), prefix, concurrency: 256, process: turn, onCompleted: completed }).start();
  } else {
    const worker = new Worker('turns', turn, { connection: connect(), prefix, concurrency: 256, lockDuration: 5000, stalledInterval: 3000, maxStalledCount: 2 });
    worker.on('completed', completed);
  }
} else {
  const redis = connect();
  const stale = await redis.keys(`${prefix}:*`);
  if (stale.length) await redis.del(...stale);
  const self = fileURLToPath(import.meta.url);
  const out = { queue: values.queue, jobs, rate };
  const redisBefore = redisCpuMs();
  const worker = fork(self, ['worker', ...process.argv.slice(2)]);
  worker.on('message', (m) => Object.assign(out, m));
  await new Promise((r) => setTimeout(r, 500));
  const producer = fork(self, ['producer', ...process.argv.slice(2)]);
  producer.on('message', (m) => Object.assign(out, m));
  await Promise.all([worker, producer].map((child) => new Promise((r) => child.on('exit', r))));
  out.redisCpuMsPerJob = +((redisCpuMs() - redisBefore) / jobs).toFixed(3);
  const left = await redis.keys(`${prefix}:*`);
  if (left.length) await redis.del(...left);
  redis.disconnect();
  console.log(JSON.stringify(out));
}
