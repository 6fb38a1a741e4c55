import type { VectorSupport } from '../domain/ports/store.js';
import type { PoolStats, StoreWithStats } from './stats.js';
import { sql } from 'drizzle-orm';
import { createAccountRepo } from './repos/account-repo.js';
import { createActivityRepo } from './repos/activity-repo.js';
import { createAnalyticsRepo } from './repos/analytics-repo.js';
import { createApiKeyRepo } from './repos/api-key-repo.js';
import { createCardRepo } from './repos/card-repo.js';
import { createActionRepo } from './repos/action-repo.js';
import { createMemberRepo } from './repos/member-repo.js';
import { createMemoryRepo, type PgvectorInfo } from './repos/memory-repo.js';
import type { BlobPacking } from './repos/packed-json.js';
import type { Db } from './repos/query.js';
import type { RawQuery } from './repos/statement.js';
import { createSessionRepo } from './repos/session-repo.js';
import { createSettingsRepo } from './repos/settings-repo.js';
import { createShareRepo } from './repos/share-repo.js';
import { createAuditRepo } from './repos/audit-repo.js';
import { createStoryRepo } from './repos/story-repo.js';
import { createSuspensionRepo } from './repos/suspension-repo.js';
import { createTimelineRepo } from './repos/timeline-repo.js';
import { createTransferRepo } from './repos/transfer-repo.js';
import { createTurnRepo } from './repos/turn-repo.js';

/** What a driver-specific opener hands over once the database is migrated. */
export interface OpenedDb {
  kind: StoreWithStats['kind'];
  db: Db;
  /** Prepared statements of the hot path (see statement.ts). */
  query: RawQuery;
  pgvector: PgvectorInfo | null;
  /** Who compresses a turn's trace and recording (packed-json.ts). */
  blobPacking: BlobPacking;
  /** The driver's connection pool (node-postgres), for metrics. */
  poolStats?: () => PoolStats;
  /** PGlite: how its data began here (a new database from the installation's copy, or initdb) or that it existed. */
  pgliteStart?: 'existing' | 'template' | 'initdb';
  /** The PGlite thread's socket URL, where another thread of this process can connect. */
  pgliteUrl?: string;
  /** Closes the driver and releases whatever the opener holds (the data-dir lock). */
  close(): Promise<void>;
}

/** Assemble the repositories over an opened, migrated database. */
export function createStore(opened: OpenedDb, options: { memoryCacheBytes?: number } = {}): StoreWithStats {
  const { db } = opened;
  const vectorSupport: VectorSupport = opened.pgvector ? 'pgvector' : 'portable';
  let closing: Promise<void> | undefined;
  const memories = createMemoryRepo(db, opened.pgvector, { vectorCacheBytes: options.memoryCacheBytes, query: opened.query });
  return {
    kind: opened.kind,
    vectorSupport,
    stories: createStoryRepo(db, opened.query),
    sessions: createSessionRepo(db, opened.query),
    turns: createTurnRepo(db, opened.query, opened.blobPacking),
    memories,
    cards: createCardRepo(db),
    members: createMemberRepo(db),
    actions: createActionRepo(db),
    timeline: createTimelineRepo(db),
    transfer: createTransferRepo(db),
    shares: createShareRepo(db),
    apiKeys: createApiKeyRepo(db),
    suspensions: createSuspensionRepo(db),
    activity: createActivityRepo(db),
    analytics: createAnalyticsRepo(db),
    accounts: createAccountRepo(db),
    settings: createSettingsRepo(db),
    audit: createAuditRepo(db),
    ...(opened.poolStats ? { poolStats: opened.poolStats } : {}),
    ...(opened.pgliteUrl ? { pgliteUrl: opened.pgliteUrl } : {}),
    ...(memories.cacheStats() ? { memoryCacheStats: () => memories.cacheStats()! } : {}),
    async ping() {
      await db.execute(sql`SELECT 1`);
    },
    close() {
      closing ??= opened.close();
      return closing;
    },
  };
}
