import { loadEnv } from '../config/env.js';
import { ensureWebClientBuilt, hasWebClientSources, WEB_DIST_DIR } from '../runtime/web-client-build.js';
import { createCliLogger } from '../shared/logger.js';
import { formatBanner } from './banner.js';

/** Resolves at the first SIGTERM/SIGINT; a second SIGINT forces the exit. */
function untilSignal(logger: { info(o: object, m?: string): void }): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'signal received; shutting down');
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** `mock-drama all` (npm start) and `mock-drama serve`: the HTTP API and streams. */
export async function runServer(role: 'all' | 'serve'): Promise<number> {
  const env = loadEnv();
  // On a terminal: readable lines and a banner; otherwise JSON lines (for log collectors).
  const tty = process.stderr.isTTY === true;
  const logger = createCliLogger(env.LOG_LEVEL, { role });
  // In the background: the API need not wait for a bundle (the page says "building" until it is there).
  void ensureWebClientBuilt(logger);
  // Each role loads only its own side: a worker never loads the HTTP app and its routes.
  const { startServer } = await import('../runtime/start-server.js');
  const server = await startServer(env, logger, role, hasWebClientSources() ? { webClientDir: WEB_DIST_DIR } : {});
  const webClient = hasWebClientSources();
  if (tty) process.stderr.write(formatBanner(env, { role, url: server.url, webClient }));
  else {
    const play = webClient ? `play in your browser at ${server.url}/  ` : '';
    process.stderr.write(`\nmock-drama (${role}) is ready at ${server.url}  (${play}API reference: ${server.url}/docs)\n\n`);
  }
  await untilSignal(logger);
  await server.shutdown();
  return 0;
}

/** `mock-drama work`: turns from the shared queue. */
export async function runWorker(): Promise<number> {
  const env = loadEnv();
  const logger = createCliLogger(env.LOG_LEVEL, { role: 'work' });
  const { startWorker } = await import('../runtime/start-worker.js');
  const worker = await startWorker(env, logger);
  process.stderr.write(`mock-drama worker is ready (health: http://${env.HOST}:${worker.healthPort}/healthz)\n`);
  await untilSignal(logger);
  await worker.shutdown();
  return 0;
}
