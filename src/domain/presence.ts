/**
 * Who is watching a shared session right now: a presence slot per user and session, held while
 * one of their sockets is open (in Redis across web servers, in memory in one process).
 * @module
 */
import type { SocketSlots } from './ports/socket-slots.js';

/** The presence slot of a user watching a session. */
export function presenceKey(sessionId: string, userId: string): string {
  return `presence:${sessionId}:${userId}`;
}

/** Whether someone is online in a session; absent where a process has no presence (a worker). */
export type IsOnline = (sessionId: string, userId: string) => Promise<boolean>;

export function presenceOf(slots: SocketSlots): IsOnline {
  return async (sessionId, userId) => (await slots.count(presenceKey(sessionId, userId))) > 0;
}
