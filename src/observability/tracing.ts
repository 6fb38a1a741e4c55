/**
 * OpenTelemetry traces of one process: a tracer provider exporting over OTLP/HTTP (JSON), the
 * AsyncLocalStorage context manager and the W3C trace-context propagator, registered with the
 * global OpenTelemetry API — only when an OTLP endpoint is configured. Otherwise nothing is
 * registered, every span the API hands out is the no-op one, and the runtime wraps nothing.
 *
 * The registration is process-wide by nature (the AI SDK finds its tracer through the global
 * API), so runtimes sharing a process (a web server and a worker in one test) share one provider:
 * the first registers it, the last to shut down flushes it and unregisters everything. The SDK
 * and the exporter are loaded only then (with tracing off, a process never loads them: a tenth
 * of a second of its start).
 * @module
 */
import { hostname } from 'node:os';
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Env } from '../config/env.js';
import { withTimeout } from '../shared/timeout.js';

/** The name our own spans are recorded under (the AI SDK's are under `ai`). */
export const TRACER_NAME = 'mock-drama';

type TracingEnv = Pick<Env, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_SERVICE_NAME' | 'OTEL_SDK_DISABLED'>;

/** Where traces go: the traces endpoint, else `<base endpoint>/v1/traces`; undefined = tracing off. */
export function tracesUrl(env: TracingEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED) return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/** A process's tracing, on or off. */
export interface Tracing {
  readonly enabled: boolean;
  /** Our tracer (the API's no-op tracer when off). */
  readonly tracer: Tracer;
  /** Export every finished span now (tests, benchmarks). */
  flush(): Promise<void>;
  /** Flush and, for the last user in the process, unregister (graceful shutdown). Idempotent. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = {
  enabled: false,
  tracer: trace.getTracer(TRACER_NAME),
  flush: async () => undefined,
  shutdown: async () => undefined,
};

/** The provider this process registered (being registered), and how many runtimes use it. */
let shared: Promise<{ provider: BasicTracerProvider; users: number }> | null = null;

/** Loads the SDK and registers its provider with the global API (once per process). */
async function register(env: TracingEnv, role: string, url: string): Promise<{ provider: BasicTracerProvider; users: number }> {
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { OTLPTraceExporter }, { resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor }] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME,
      // The same value as the X-Instance header, so a trace names the process that answered.
      [ATTR_SERVICE_INSTANCE_ID]: `${hostname()}:${process.pid}`,
      'mock_drama.role': role,
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return { provider, users: 0 };
}

/**
 * Start tracing for a process of `role` when `env` names an OTLP endpoint; off otherwise.
 * Spans are batched and sent every `OTEL_BSP_SCHEDULE_DELAY` ms (SDK default 5 s) and on shutdown.
 */
export async function startTracing(env: TracingEnv, role: string): Promise<Tracing> {
  const url = tracesUrl(env);
  if (!url) return OFF;
  const registering = (shared ??= register(env, role, url));
  const mine = await registering;
  mine.users += 1;
  let stopped: Promise<void> | null = null;
  return {
    enabled: true,
    tracer: trace.getTracer(TRACER_NAME),
    flush: () => mine.provider.forceFlush(),
    shutdown() {
      stopped ??= (async () => {
        mine.users -= 1;
        if (mine.users > 0) return bounded(mine.provider.forceFlush());
        if (shared === registering) shared = null;
        trace.disable();
        context.disable();
        propagation.disable();
        await bounded(mine.provider.shutdown());
      })();
      return stopped;
    },
  };
}

/** How long shutdown waits for the last spans to go out. */
const SHUTDOWN_EXPORT_MS = 5000;

/**
 * A collector that is down or slow must neither fail a graceful shutdown nor hold it up for the
 * exporter's retries: the spans still unsent are given up.
 */
function bounded(exporting: Promise<void>): Promise<void> {
  return withTimeout(exporting.catch(() => undefined), SHUTDOWN_EXPORT_MS, () => undefined);
}
