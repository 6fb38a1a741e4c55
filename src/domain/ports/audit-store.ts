/** The security-relevant acts the audit log records (see domain/audit.ts). */
export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'story.hidden',
  'story.unhidden',
  'user.suspended',
  'user.reinstated',
  'session.deleted',
  'share.created',
  'share.revoked',
  'member.removed',
  'replay.run',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** Who acted (a user id, or `admin-token`). */
  actor: string;
  action: AuditAction;
  /** What it was done to, e.g. `session:<id>`, `user:<id>`, `api_key:<id>`. */
  target: string;
  /** The HTTP request it came from, when it came from one. */
  requestId: string | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  createdAt: Date;
}

/** Append-only: there is no way to change or remove an entry. */
export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first, at most `limit`. */
  list(filter: { actor?: string; action?: string; since?: Date; limit: number }): Promise<AuditRecord[]>;
}
