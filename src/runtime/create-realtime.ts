/**
 * Supabase Realtime broadcasts (SUPABASE_REALTIME=on): a decorator of the bus's publisher, so the
 * domain never knows. See queue/realtime/realtime-broadcast.ts and README "Supabase Realtime".
 * @module
 */
import { Counter } from 'prom-client';
import type { Env } from '../config/env.js';
import { DramaError } from '../domain/errors.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import { toApiEvent } from '../http/wire.js';
import type { Metrics } from '../observability/metrics.js';
import { RealtimeBroadcaster, withRealtimeBroadcast } from '../queue/realtime/realtime-broadcast.js';
import type { Logger } from '../shared/log.js';

/** The bus as it is, or broadcasting to Supabase Realtime too. */
export function withRealtime(env: Env, bus: EventBus, logger: Logger, metrics: Metrics): EventBus {
  if (env.SUPABASE_REALTIME !== 'on') return bus;
  if (!env.SUPABASE_URL || !env.SUPABASE_SERVICE_ROLE_KEY) throw new DramaError('config_invalid', 'SUPABASE_REALTIME=on needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY');
  const name = 'mock_drama_realtime_dropped_total';
  // One per registry: a second runtime on the same metrics (tests) reuses it.
  const dropped = (metrics.registry.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help: 'Session events not broadcast to Supabase Realtime after every attempt failed.', registers: [metrics.registry] });
  const broadcaster = new RealtimeBroadcaster({
    supabaseUrl: env.SUPABASE_URL,
    serviceKey: env.SUPABASE_SERVICE_ROLE_KEY,
    attempts: env.REALTIME_ATTEMPTS,
    serialize: toApiEvent,
    logger,
    onDropped: (n) => dropped.inc(n),
  });
  logger.info({ url: env.SUPABASE_URL }, 'session events are also broadcast to Supabase Realtime');
  return withRealtimeBroadcast(bus, broadcaster);
}
