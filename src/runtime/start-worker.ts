/**
 * `mock-drama work`: runs turns from the shared queue, with a small health and metrics endpoint
 * (WORKER_HEALTH_PORT) for probes and Prometheus.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Env } from '../config/env.js';
import type { Logger } from '../shared/log.js';
import { bearerMatches } from '../http/routes/metrics.js';
import { createRuntime, type Runtime } from './create-runtime.js';
import { CODE_ORIGIN } from './code-version.js';
import { DramaError } from '../domain/errors.js';

export interface RunningWorker {
  runtime: Runtime;
  /** Port of the health endpoint (the one the system chose with WORKER_HEALTH_PORT=0). */
  healthPort: number;
  /** Finish running turns within the grace period (hand the rest back), then close. */
  shutdown(): Promise<void>;
}

function healthServer(runtime: Runtime, isDraining: () => boolean, metricsToken: string | undefined): Server {
  return createServer((req, res) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return reply(200, { status: 'ok' });
    if (req.url === '/readyz') {
      if (isDraining()) return reply(503, { status: 'draining' });
      runtime.ready().then(
        () => reply(200, { status: 'ready' }),
        (err: unknown) => reply(503, { status: 'unavailable', reason: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    if (req.url === '/metrics') {
      if (metricsToken && !bearerMatches(req.headers.authorization, metricsToken)) return reply(401, { error: { code: 'unauthorized', message: 'Metrics token required' } });
      runtime.metrics.render().then(
        (body) => {
          res.writeHead(200, { 'content-type': runtime.metrics.contentType, 'cache-control': 'no-store' });
          res.end(body);
        },
        (err: unknown) => reply(500, { error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }),
      );
      return;
    }
    reply(404, { error: { code: 'not_found', message: 'Worker endpoints: /healthz, /readyz, /metrics' } });
  });
}

export async function startWorker(env: Env, logger: Logger): Promise<RunningWorker> {
  const runtime = await createRuntime(env, { logger, role: 'work' });
  let draining = false;
  // WORKER_HEALTH_PORT=0: a free port, chosen by the system and logged below.
  const health = healthServer(runtime, () => draining, env.METRICS_TOKEN);
  try {
    await new Promise<void>((resolve, reject) => {
      health.once('error', reject);
      health.listen(env.WORKER_HEALTH_PORT, env.HOST, () => resolve());
    });
  } catch (err) {
    await runtime.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DramaError(
        'config_invalid',
        `WORKER_HEALTH_PORT ${env.WORKER_HEALTH_PORT} is already in use on ${env.HOST} (another \`mock-drama work\` on this host?): set WORKER_HEALTH_PORT=0 for a free port, or another port`,
      );
    }
    throw err;
  }
  const healthPort = (health.address() as AddressInfo).port;
  logger.info({ concurrency: env.WORKER_CONCURRENCY, healthPort, code: CODE_ORIGIN }, 'worker is taking turns');
  let stopping: Promise<void> | null = null;
  return {
    runtime,
    healthPort,
    shutdown() {
      stopping ??= (async () => {
        draining = true;
        await runtime.close();
        await new Promise<void>((resolve) => health.close(() => resolve()));
        logger.info({}, 'worker stopped');
      })();
      return stopping;
    },
  };
}
