/** A live share link, as the token's hash finds it. */
export interface ShareLink {
  id: string;
  sessionId: string;
  createdAt: Date;
}

/**
 * Read-only links to sessions, stored by the SHA-256 of their token (never the token). A
 * session has at most one live link.
 */
export interface ShareStore {
  /** Revoke the session's live link, if any, and store a new one, in one transaction. */
  replace(link: { id: string; sessionId: string; tokenHash: string }, at: Date): Promise<ShareLink>;
  /** Revoke the session's live link; false when it had none. */
  revoke(sessionId: string, at: Date): Promise<boolean>;
  /** The live (not revoked) link with this token hash, or null. */
  findLive(tokenHash: string): Promise<ShareLink | null>;
  /** The session's live link, or null. */
  liveFor(sessionId: string): Promise<ShareLink | null>;
}
