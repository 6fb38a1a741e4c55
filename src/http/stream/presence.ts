/**
 * Presence on a shared session's WebSocket: `member.online` when someone's first socket on it
 * opens, `member.offline` when their last one closes (counted across web servers through the
 * socket slots), and `member.typing` when a player's client says so (at most once per
 * {@link TYPING_EVERY_MS} per socket). Sessions nobody joined publish none of these.
 * @module
 */
import type { SocketSlot } from '../../domain/ports/socket-slots.js';
import { presenceKey } from '../../domain/presence.js';
import type { HttpDeps } from '../app-context.js';

export const TYPING_EVERY_MS = 2000;

type PresenceEvent = 'member.online' | 'member.offline' | 'member.typing';

async function announce(deps: HttpDeps, sessionId: string, userId: string, type: PresenceEvent): Promise<void> {
  try {
    await deps.bus.publish({ type, userId, sessionId, taskId: null, turnNo: 0 });
  } catch (err) {
    deps.logger.warn({ err, sessionId, type }, 'presence event was not published');
  }
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

/** A client frame `{"type":"typing"}`: relay it as `member.typing` when the user may act, at most every 2 s. */
export function typingRelay(deps: HttpDeps, sessionId: string, userId: string, shared: boolean): (data: unknown) => boolean {
  let last = 0;
  let mayAct: Promise<boolean> | null = null;
  return (data) => {
    if (typeof data !== 'string' || data.length > 100 || !data.includes('"typing"')) return false;
    if (!shared) return true;
    const now = Date.now();
    if (now - last < TYPING_EVERY_MS) return true;
    last = now;
    mayAct ??= deps.service.sessionFor(userId, sessionId, 'act').then(
      () => true,
      () => false,
    );
    void mayAct.then((ok) => (ok ? announce(deps, sessionId, userId, 'member.typing') : undefined));
    return true;
  };
}
