import { loadEnv } from '../config/env.js';
import { startServer } from '../runtime/start-server.js';
import { createLogger } from '../shared/logger.js';

/** `mock-drama all`: API, streams and turn workers in one process (the default `npm start`). */
export async function runAll(): Promise<number> {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL, { role: 'all' });
  const server = await startServer(env, logger);
  process.stderr.write(`\nmock-drama is ready at ${server.url}  (API reference: ${server.url}/docs)\n\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'signal received');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  // A second signal during the grace period forces the exit.
  process.once('SIGINT', () => process.exit(130));
  await server.shutdown();
  return 0;
}
