import type { AccountStore } from './account-store.js';
import type { ActionStore, ArbitrationStore } from './action-store.js';
import type { ActivityStore } from './activity-store.js';
import type { AnalyticsStore } from './analytics-store.js';
import type { ApiKeyStore } from './api-key-store.js';
import type { AuditStore } from './audit-store.js';
import type { CardStore } from './card-store.js';
import type { MemberStore } from './member-store.js';
import type { MemoryStore } from './memory-store.js';
import type { SessionStore } from './session-store.js';
import type { SettingsStore } from './settings-store.js';
import type { ShareStore } from './share-store.js';
import type { StoryStore } from './story-store.js';
import type { SuspensionStore } from './suspension-store.js';
import type { TimelineStore } from './timeline-store.js';
import type { TransferStore } from './transfer-store.js';
import type { TurnStore } from './turn-store.js';

/** Which vector search the database provides; logged at start. */
export type VectorSupport = 'pgvector' | 'portable';

/** The database behind all repositories. */
export interface Store {
  readonly kind: 'pglite' | 'postgres';
  readonly vectorSupport: VectorSupport;
  readonly stories: StoryStore;
  readonly sessions: SessionStore;
  readonly turns: TurnStore;
  readonly memories: MemoryStore;
  readonly cards: CardStore;
  /** Undo, redo, retry and fork: moves along a session's timeline. */
  readonly timeline: TimelineStore;
  /** Export and import of whole sessions. */
  readonly transfer: TransferStore;
  /** Read-only links to sessions' transcripts. */
  readonly shares: ShareStore;
  /** Hashed API keys of server-to-server clients. */
  readonly apiKeys: ApiKeyStore;
  /** Users a moderator has suspended. */
  readonly suspensions: SuspensionStore;
  /** Aggregate counts for the admin view. */
  readonly activity: ActivityStore;
  /** Play data of a story, aggregated for its author. */
  readonly analytics: AnalyticsStore;
  /** Members and invites of shared sessions. */
  readonly members: MemberStore;
  /** Waiting actions of shared sessions, and who acts when (mode, round, vote window). */
  readonly actions: ActionStore & ArbitrationStore;
  /** Guests' play claimed by accounts. */
  readonly accounts: AccountStore;
  /** Users' settings and sealed provider keys. */
  readonly settings: SettingsStore;
  /** The append-only audit log. */
  readonly audit: AuditStore;
  /** Cheap liveness check (SELECT 1). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
