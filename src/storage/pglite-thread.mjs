// The embedded database on a thread of its own (see pglite-thread.ts). Plain ESM so it loads
// without the TypeScript loader. PGlite runs here and speaks the PostgreSQL wire protocol on a
// Unix socket (pglite-wire.mjs); the main thread reaches it with node-postgres, as it would a server.
import { parentPort, workerData } from 'node:worker_threads';
import { openPgliteData } from './pglite-template.mjs';
import { serveWire } from './pglite-wire.mjs';

const { dataPath, socketPath, analyzeEveryMs, templatePath } = workerData;
let db;
let wire;
let timer;

try {
  const opened = await openPgliteData(dataPath, templatePath);
  db = opened.db;
  wire = await serveWire(db, socketPath);
  // PGlite has no autovacuum: refresh planner statistics here, off the main thread, queued
  // with the connections' statements (never inside one's open transaction).
  timer = setInterval(() => wire.run(() => db.exec('ANALYZE')).catch(() => undefined), analyzeEveryMs);
  parentPort.postMessage({ op: 'ready', from: opened.from });
} catch (err) {
  parentPort.postMessage({ op: 'failed', message: String(err?.stack ?? err) });
}

parentPort.on('message', async (m) => {
  if (m.op !== 'close') return;
  clearInterval(timer);
  try {
    await wire?.close();
  } finally {
    await db?.close().catch(() => undefined);
    parentPort.postMessage({ op: 'closed' });
    parentPort.close();
  }
});
