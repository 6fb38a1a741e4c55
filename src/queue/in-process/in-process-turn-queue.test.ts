import { runTurnQueueContract } from '../turn-queue.contract.js';
import { InProcessTurnQueue } from './in-process-turn-queue.js';

runTurnQueueContract('InProcessTurnQueue', async ({ concurrency, attempts, backoffMs }) =>
  new InProcessTurnQueue({ concurrency, retry: { attempts, backoffMs } }),
);
