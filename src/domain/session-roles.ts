/**
 * Who may do what with a session: its owner everything; a member reads it (the transcript, its
 * events, its tasks) and a player also acts; anyone else finds no such session, so ids cannot be
 * probed. Time controls, memories, cards and steering stay the owner's.
 * @module
 */
import { DramaError } from './errors.js';
import type { SessionHead } from './ports/session-store.js';

export type SessionNeed = 'read' | 'act' | 'own';

/** The head when `userId` may do `need` with it; `session_not_found`, or `spectator` for a watcher acting. */
export function checkAccess(head: SessionHead | null, userId: string, sessionId: string, need: SessionNeed): SessionHead {
  if (head && head.ownerId === userId) return head;
  const role = head?.memberRole ?? null;
  if (!head || role === null || need === 'own') throw new DramaError('session_not_found', `Session ${sessionId} not found`);
  if (need === 'act' && role === 'spectator') throw new DramaError('spectator', 'Spectators watch this session; only its players act');
  return head;
}
