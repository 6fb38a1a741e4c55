/**
 * The turn thread itself: a `work` runtime on the main thread's queue and bus. It runs until the
 * main thread asks it to close.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Metrics } from '../../observability/metrics.js';
import { createLogger, createTerminalLogger } from '../../shared/logger.js';
import { createRuntime, type Runtime } from '../create-runtime.js';
import { PortPeer, toWireError, type Port } from './port-peer.js';
import type { TurnThreadData } from './start-turn-thread.js';
import { ThreadTurnWorker, threadTransport } from './thread-transport.js';

const { env, database, logLevel, tty, heads } = workerData as TurnThreadData;
const port = parentPort as unknown as Port & { close(): void };
const bindings = { role: 'all', thread: 'turns' };
const logger = tty ? createTerminalLogger(logLevel, bindings) : createLogger(logLevel, bindings);
const worker = new ThreadTurnWorker();
let runtime: Runtime | null = null;

const peer = new PortPeer(port, {
  ...worker.methods(),
  'thread.metrics': () => runtime?.metrics.registry.getMetricsAsJSON() ?? [],
  'thread.close': async () => {
    await runtime?.close();
    // After the reply has gone out (it is posted at the end of the next loop iteration, see
    // PortPeer): closing the port lets the thread end.
    setImmediate(() => setImmediate(() => port.close()));
  },
});

try {
  runtime = await createRuntime(env, {
    logger,
    role: 'work',
    transport: threadTransport(peer, worker, heads),
    database,
    // The process's own metrics (CPU, memory, event loop) are the main thread's.
    metrics: new Metrics({ role: 'all', defaultMetrics: false }),
  });
  peer.notify('thread.ready');
} catch (err) {
  peer.notify('thread.failed', toWireError(err));
}
