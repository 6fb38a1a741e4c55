/**
 * Presence on a shared session's WebSocket: `member.online` when someone's first socket on it
 * opens, `member.offline` when their last one closes (counted across web servers through the
 * socket slots), and `member.typing` when a player's client says so (at most once per
 * {@link TYPING_EVERY_MS} per socket). Sessions nobody joined publish none of these.
 * @module
 */
import type { SocketSlot } from '../../domain/ports/socket-slots.js';
import { presenceKey } from '../../domain/presence.js';
import { publishCommitted } from '../../domain/publish-committed.js';
import type { HttpDeps } from '../app-context.js';

export const TYPING_EVERY_MS = 2000;

type PresenceEvent = 'member.online' | 'member.offline' | 'member.typing';

function announce(deps: HttpDeps, sessionId: string, userId: string, type: PresenceEvent): Promise<void> {
  return publishCommitted(deps, sessionId, { type, userId });
}

/**
 * Hold the user's presence slot on the session while the socket is open; the returned function
 * lets go of it (and announces `member.offline` when it was their last socket).
 */
export async function enterSession(deps: HttpDeps, sessionId: string, userId: string, shared: boolean): Promise<() => void> {
  const slots = deps.socketSlots;
  if (!slots) return () => undefined;
  const key = presenceKey(sessionId, userId);
  const present: SocketSlot | null = await slots.acquire(key, Number.MAX_SAFE_INTEGER);
  if (shared && (await slots.count(key)) === 1) await announce(deps, sessionId, userId, 'member.online');
  return () => {
    present?.release();
    if (!shared) return;
    void slots
      .count(key)
      .then((n) => (n === 0 ? announce(deps, sessionId, userId, 'member.offline') : undefined))
      .catch(() => undefined);
  };
}

/** How long a socket trusts what it read about the session (shared yet? may this user act?). */
const CHECK_TTL_MS = 30_000;

/**
 * A client frame `{"type":"typing"}`: relay it as `member.typing` when the session is shared and
 * the user may act in it, at most every 2 s. The session may have become shared after the socket
 * opened, so that is read again (at most every 30 s), not taken from the open.
 */
export function typingRelay(deps: HttpDeps, sessionId: string, userId: string): (data: unknown) => boolean {
  let last = 0;
  let check: { at: number; relay: Promise<boolean> } | null = null;
  return (data) => {
    if (typeof data !== 'string' || data.length > 100 || !data.includes('"typing"')) return false;
    const now = Date.now();
    if (now - last < TYPING_EVERY_MS) return true;
    last = now;
    if (!check || now - check.at > CHECK_TTL_MS) {
      const relay = deps.service.sessionFor(userId, sessionId, 'act').then(
        (head) => Boolean(head.turnMode),
        () => false,
      );
      check = { at: now, relay };
    }
    void check.relay.then((ok) => (ok ? announce(deps, sessionId, userId, 'member.typing') : undefined));
    return true;
  };
}
