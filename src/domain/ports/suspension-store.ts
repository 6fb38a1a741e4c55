/** A moderator's suspension of a user. */
export interface Suspension {
  userId: string;
  reason: string;
  /** Who suspended them: an admin's user id, or `admin-token`. */
  suspendedBy: string;
  createdAt: Date;
}

/** Suspended users: every authenticated request of theirs is refused while the row exists. */
export interface SuspensionStore {
  /** Suspend a user; suspending again replaces the reason and the moderator. */
  suspend(input: { userId: string; reason: string; suspendedBy: string }): Promise<Suspension>;
  /** Lift a suspension; false when the user was not suspended. */
  unsuspend(userId: string): Promise<boolean>;
  get(userId: string): Promise<Suspension | null>;
  /** Which of these users are suspended (in no order): one read for many, as open streams re-check. */
  suspendedAmong(userIds: readonly string[]): Promise<string[]>;
  /** Every suspension, newest first. */
  list(): Promise<Suspension[]>;
}
