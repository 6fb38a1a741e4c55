/**
 * An action, from the request to the queue. Refusals come in one order however the session is
 * known: not found (or a spectator), an earlier task of the same idempotency key, the story
 * ended, the budget spent, a turn in flight.
 *
 * A session the shared heads know (ports/session-heads.ts: distributed mode) is the caller's own
 * one-player game, still playing: one call checks that and takes its turn slot, and no statement
 * is needed. Any other reads the session, and remembers it for the next action when it may.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { DramaError } from './errors.js';
import type { SessionHeads } from './ports/session-heads.js';
import type { SessionHead } from './ports/session-store.js';
import type { TaskStatus, TurnQueue } from './ports/turn-queue.js';
import { hasNul, type SubmitAction } from './service-checks.js';
import type { SessionNeed } from './session-roles.js';
import type { TurnArbiter } from './turn-arbiter.js';
import type { TurnDeps } from './turn-deps.js';
import type { ActionKind } from './types.js';

/** What an action needs of the service. */
export interface ActionService {
  readonly deps: TurnDeps;
  readonly queue: TurnQueue;
  readonly arbiter: TurnArbiter;
  actionInput(raw: string, action: ActionKind): string;
  sessionFor(userId: string, sessionId: string, need: SessionNeed): Promise<SessionHead>;
  getTask(taskId: string): Promise<TaskStatus>;
  checkBudget(ownerId: string): Promise<void>;
}

/** Queue a turn. Throws `turn_in_progress` while the session has one queued or running. */
export async function submitAction(service: ActionService, req: SubmitAction): Promise<TaskStatus> {
  const input = service.actionInput(req.input, req.action);
  const heads = service.deps.heads;
  let stamp: string | undefined;
  // An idempotency key's earlier task is looked up before anything is claimed.
  if (heads && !req.idempotencyKey && !hasNul(req.sessionId)) {
    const known = await submitToKnownSession(service, heads, req, input);
    if ('accepted' in known) return known.accepted;
    stamp = known.stamp;
  }
  const session = await service.sessionFor(req.ownerId, req.sessionId, 'act');
  if (heads && stamp !== undefined) rememberIfSolo(service, heads, session, req.ownerId, stamp);
  const taskId = req.idempotencyKey
    ? createHash('sha256').update(`${req.ownerId}\0${req.sessionId}\0${req.idempotencyKey}`).digest('hex').slice(0, 32)
    : randomUUID();
  if (req.idempotencyKey) {
    const earlier = await service.getTask(taskId).catch(() => null);
    if (earlier) return earlier;
  }
  if (session.status === 'ended') throw new DramaError('story_ended', 'This story has ended; start a new session to play again');
  await service.checkBudget(req.ownerId);
  if (session.turnMode) return service.arbiter.submit(session, { taskId, userId: req.ownerId, input, action: req.action });
  return service.queue.enqueue({ taskId, sessionId: session.id, ownerId: req.ownerId, input, action: req.action, enqueuedAt: service.deps.clock.now(), turnNo: session.turnNo + 1 });
}

/** The accepted task when the session is known; else the stamp to remember it with once read. */
async function submitToKnownSession(service: ActionService, heads: SessionHeads, req: SubmitAction, input: string): Promise<{ accepted: TaskStatus } | { stamp: string }> {
  const taskId = randomUUID();
  const claim = await heads.claim(req.sessionId, req.ownerId, taskId);
  if (!claim.known) return { stamp: claim.stamp };
  try {
    await service.checkBudget(req.ownerId);
  } catch (err) {
    // A slot left behind (Redis unreachable) is freed by the next enqueue: no job holds it.
    if (claim.claimed) await heads.release(req.sessionId, taskId).catch(() => undefined);
    throw err;
  }
  // Claimed: the queue only adds the job. Not claimed: its enqueue says which turn holds the slot
  // (409), or frees a slot a finished turn left behind. No turn number: a failure's event reads it.
  const job = { taskId, sessionId: req.sessionId, ownerId: req.ownerId, input, action: req.action, enqueuedAt: service.deps.clock.now() };
  return { accepted: await service.queue.enqueue(job, claim.claimed ? { claimed: true } : {}) };
}

/** Remember the session read for `userId` if it is their own one-player game, still playing. */
export function rememberIfSolo(service: Pick<ActionService, 'deps'>, heads: SessionHeads, session: Pick<SessionHead, 'id' | 'ownerId' | 'status' | 'turnMode'>, userId: string, stamp: string): void {
  if (session.ownerId !== userId || session.status === 'ended' || session.turnMode) return;
  heads.remember(session.id, session.ownerId, stamp).catch((err: Error) => service.deps.logger.warn({ err: err.message, sessionId: session.id }, 'could not remember a session head'));
}
