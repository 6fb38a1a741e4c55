/**
 * Cluster-wide activity for the admin view: active sessions, recent turns, spend by model.
 * Aggregates over `sessions.updated_at` and `turns.created_at`, which have no index of their own:
 * fine for an admin page polled every few seconds; add indexes in a migration if the tables grow
 * into the millions.
 * @module
 */
import { sql } from 'drizzle-orm';
import type { ActivityStore, ModelSpend } from '../../domain/ports/activity-store.js';
import { sessions, turns } from '../schema/index.js';
import { queryRows, type Db } from './query.js';

export function createActivityRepo(db: Db): ActivityStore {
  return {
    async activeSessions(since: Date): Promise<number> {
      const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${sessions} WHERE ${sessions.updatedAt} >= ${since.toISOString()}::timestamptz`);
      return Number(row?.n ?? 0);
    },

    async turnsSince(since: Date): Promise<number> {
      const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ${turns} WHERE ${turns.turnNo} > 0 AND ${turns.createdAt} >= ${since.toISOString()}::timestamptz`);
      return Number(row?.n ?? 0);
    },

    async spendByModel(since: Date): Promise<ModelSpend[]> {
      // One row per model call recorded in turns.usage.calls (see TurnUsage), the server's own: calls
      // on a player's own key (byok) were not paid by this server.
      const rows = await queryRows<{ model_id: string; calls: number; input_tokens: number; output_tokens: number; cost_usd: number }>(
        db,
        sql`SELECT c->>'modelId' AS model_id,
                   count(*)::int AS calls,
                   coalesce(sum((c->>'inputTokens')::bigint), 0)::float8 AS input_tokens,
                   coalesce(sum((c->>'outputTokens')::bigint), 0)::float8 AS output_tokens,
                   coalesce(sum((c->>'costUsd')::float8), 0)::float8 AS cost_usd
            FROM ${turns} CROSS JOIN LATERAL jsonb_array_elements(${turns.usage}->'calls') AS c
            WHERE ${turns.createdAt} >= ${since.toISOString()}::timestamptz AND jsonb_typeof(${turns.usage}->'calls') = 'array'
              AND c->>'byok' IS NULL
            GROUP BY 1
            ORDER BY cost_usd DESC, model_id`,
      );
      return rows.map((r) => ({
        modelId: r.model_id ?? 'unknown',
        calls: Number(r.calls),
        inputTokens: Number(r.input_tokens),
        outputTokens: Number(r.output_tokens),
        costUsd: Math.round(Number(r.cost_usd) * 1e8) / 1e8,
      }));
    },
  };
}
