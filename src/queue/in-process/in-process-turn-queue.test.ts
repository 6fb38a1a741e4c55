import { runTurnQueueContract } from '../turn-queue.contract.js';
import { InProcessTurnQueue } from './in-process-turn-queue.js';

runTurnQueueContract('InProcessTurnQueue', async ({ concurrency, attempts, backoffMs }) => {
  // One object is both sides: the all-in-one process accepts and runs its own turns.
  const queue = new InProcessTurnQueue({ concurrency, retry: { attempts, backoffMs } });
  return { queue, worker: queue };
});
