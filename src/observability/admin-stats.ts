/**
 * Live counts for the admin view (`GET /admin/stats`): cluster-wide numbers from the database and
 * the shared queue, plus what this process sees (its open streams, its running turns).
 * @module
 */
import type { Clock } from '../domain/ports/clock.js';
import { startOfUtcDay } from '../domain/service-checks.js';
import type { Store } from '../domain/ports/store.js';
import type { TurnQueue } from '../domain/ports/turn-queue.js';
import type { AdminStats } from '../http/app-context.js';
import type { Metrics } from './metrics.js';

/** A session counts as active when it started or advanced within this window. */
export const ACTIVE_SESSION_WINDOW_MS = 15 * 60_000;
/** Turns per minute are averaged over this window. */
export const TURN_RATE_WINDOW_MS = 5 * 60_000;

export function createAdminStats(deps: { store: Store; queue: TurnQueue; clock: Clock; metrics: Metrics }): () => Promise<AdminStats> {
  return async () => {
    const now = deps.clock.now();
    const since = startOfUtcDay(now);
    const [active, turns, spend, queue, inProgress, streams] = await Promise.all([
      deps.store.activity.activeSessions(new Date(now - ACTIVE_SESSION_WINDOW_MS)),
      deps.store.activity.turnsSince(new Date(now - TURN_RATE_WINDOW_MS)),
      deps.store.activity.spendByModel(since),
      deps.queue.counts ? deps.queue.counts().catch(() => null) : Promise.resolve(null),
      deps.metrics.total('mock_drama_turns_in_progress'),
      deps.metrics.total('mock_drama_stream_connections'),
    ]);
    const byModel = spend.map((s) => ({
      model: s.modelId,
      provider: deps.metrics.modelLabels(s.modelId).provider,
      calls: s.calls,
      input_tokens: s.inputTokens,
      output_tokens: s.outputTokens,
      cost_usd: s.costUsd,
    }));
    return {
      at: new Date(now).toISOString(),
      sessions_active: active,
      active_window_minutes: ACTIVE_SESSION_WINDOW_MS / 60_000,
      turns_per_minute: Math.round((turns / (TURN_RATE_WINDOW_MS / 60_000)) * 100) / 100,
      turns_last_window: turns,
      turn_rate_window_minutes: TURN_RATE_WINDOW_MS / 60_000,
      queue: queue ? { ...queue, depth: queue.waiting + queue.active + queue.delayed } : null,
      spend_today: {
        since: since.toISOString(),
        total_usd: Math.round(byModel.reduce((n, m) => n + m.cost_usd, 0) * 1e8) / 1e8,
        by_model: byModel,
      },
      process: { role: deps.metrics.role, turns_in_progress: inProgress, stream_connections: streams },
    };
  };
}
