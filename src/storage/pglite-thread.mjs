// The embedded database on a thread of its own (see pglite-thread.ts). Plain ESM so it loads
// without the TypeScript loader. PGlite runs here and speaks the PostgreSQL wire protocol on a
// Unix socket (pglite-socket); the main thread reaches it with node-postgres, as it would a server.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataPath, socketPath, analyzeEveryMs } = workerData;
let db;
let server;
let timer;

try {
  db = await PGlite.create(dataPath, { extensions: { vector } });
  // The main thread's pool holds one connection at a time; the second slot only absorbs the
  // moment when a discarded connection (the migration's) is still closing as its successor
  // connects: with one slot that successor was refused ("Too many connections").
  server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 2 });
  await server.start();
  // PGlite has no autovacuum: refresh planner statistics here, off the main thread.
  timer = setInterval(() => db.exec('ANALYZE').catch(() => undefined), analyzeEveryMs);
  parentPort.postMessage({ op: 'ready' });
} catch (err) {
  parentPort.postMessage({ op: 'failed', message: String(err?.stack ?? err) });
}

parentPort.on('message', async (m) => {
  if (m.op !== 'close') return;
  clearInterval(timer);
  try {
    await server?.stop();
  } finally {
    await db?.close().catch(() => undefined);
    parentPort.postMessage({ op: 'closed' });
    parentPort.close();
  }
});
