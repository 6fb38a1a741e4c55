import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import type { Hono } from 'hono';

/** Bull Board (the BullMQ dashboard) as a Hono app to mount at `basePath`; its assets are served locally. */
export function createBullBoardApp(queues: Queue[], basePath: string): Hono {
  const adapter = new HonoAdapter(serveStatic);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'mock-drama turns' } } });
  adapter.setBasePath(basePath);
  return adapter.registerPlugin() as unknown as Hono;
}
