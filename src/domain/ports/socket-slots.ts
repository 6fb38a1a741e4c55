/** A held connection slot; `release` gives it back (once; later calls do nothing). */
export interface SocketSlot {
  release(): void;
}

/**
 * Counts a user's open WebSocket connections against a cap: in memory for the all-in-one
 * process, in Redis across every web server in distributed mode. A slot held by a process that
 * died is freed by expiry, not by that process.
 */
export interface SocketSlots {
  /** Take a slot for the user, or null when `limit` slots are already held. */
  acquire(userId: string, limit: number): Promise<SocketSlot | null>;
  /** Slots the user holds now (expired ones excluded). */
  count(userId: string): Promise<number>;
  /** Release every slot this process holds and stop refreshing them. */
  close(): Promise<void>;
}
