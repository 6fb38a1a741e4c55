/**
 * What a player reads of their session without acting on it: may they read it (a stream's
 * opening), and a task's status (a client polling `GET /api/story/status/{task_id}`). Both are
 * answered without a statement where they can be: the shared session heads know the caller's own
 * one-player session (distributed mode), and the queue knows a turn it has not announced.
 * @module
 */
import { DramaError } from './errors.js';
import type { SessionHead } from './ports/session-store.js';
import type { TaskStatus, TurnQueue } from './ports/turn-queue.js';
import { hasNul } from './service-checks.js';
import type { SessionNeed } from './session-roles.js';
import { rememberIfSolo } from './submit-action.js';
import type { TurnArbiter } from './turn-arbiter.js';
import type { TurnDeps } from './turn-deps.js';

/** What the reads need of the service. */
export interface SessionReader {
  readonly deps: TurnDeps;
  readonly queue: TurnQueue;
  readonly arbiter: TurnArbiter;
  sessionFor(userId: string, sessionId: string, need: SessionNeed): Promise<SessionHead>;
  getTask(taskId: string): Promise<TaskStatus>;
}

/**
 * Whether the caller may read the session (`session_not_found` otherwise), and whether it is
 * shared (a turn mode is set). The shared session heads answer for the caller's own one-player
 * session without a statement; anything else reads the session, and remembers it when it may.
 */
export async function readableSession(service: SessionReader, userId: string, sessionId: string): Promise<{ shared: boolean }> {
  const heads = service.deps.heads;
  // Redis unreachable: the database answers, as it would without heads.
  const peek = heads && !hasNul(sessionId) ? await heads.peek(sessionId, userId).catch(() => null) : null;
  if (peek?.known) return { shared: false };
  const head = await service.sessionFor(userId, sessionId, 'read');
  if (heads && peek) rememberIfSolo(service, heads, head, userId, peek.stamp);
  return { shared: Boolean(head.turnMode) };
}

/**
 * Whether `taskId` still holds its session's turn slot, and whether `ownerId` (if given) may read
 * the session. The shared session heads answer both in one call (they take that slot for actions,
 * so they can tell who holds it): a client polling a running turn costs one Redis call there
 * instead of two. Otherwise the queue and the read check answer, side by side.
 */
async function slotAndReader(service: SessionReader, sessionId: string, taskId: string, ownerId: string | undefined): Promise<{ holds: boolean; mayRead: boolean }> {
  const heads = service.deps.heads;
  if (ownerId !== undefined && heads && !hasNul(sessionId)) {
    // Redis unreachable: asked again below, each on its own way, as without heads.
    const peek = await heads.peek(sessionId, ownerId, taskId).catch(() => null);
    if (peek?.holds !== undefined) {
      if (peek.known) return { holds: peek.holds, mayRead: true };
      const mayRead = await service.sessionFor(ownerId, sessionId, 'read').then(
        (head) => (rememberIfSolo(service, heads, head, ownerId, peek.stamp), true),
        () => false,
      );
      return { holds: peek.holds, mayRead };
    }
  }
  const [holds, mayRead] = await Promise.all([
    service.queue.holdsSession!(sessionId, taskId),
    ownerId === undefined ? true : readableSession(service, ownerId, sessionId).then(() => true, () => false),
  ]);
  return { holds, mayRead };
}

function taskNotFound(taskId: string): never {
  throw new DramaError('task_not_found', `Task ${taskId} not found`);
}

/**
 * A task's status: the committed turn once it may be told (the database is the truth: a turn is
 * complete once committed, even while its job is still being wrapped up), else the queue's view.
 * While the task still holds its session's slot the queue's view is the answer with no read of
 * the turn table: the worker gives the slot back only after the commit and before announcing
 * the turn, so no client has seen it complete (a worker lost between its commit and that
 * release leaves the task `processing` until another worker replays it). With `ownerId`, only
 * a reader of the task's session gets an answer; anyone else gets `task_not_found`.
 */
export async function taskStatus(service: SessionReader, taskId: string, ownerId?: string): Promise<TaskStatus> {
  if (hasNul(taskId)) return taskNotFound(taskId);
  const readable = (sessionId: string) => (ownerId === undefined ? Promise.resolve(true) : readableSession(service, ownerId, sessionId).then(() => true, () => false));
  const answer = async (status: TaskStatus) => ((await readable(status.sessionId)) ? status : taskNotFound(taskId));
  const live = await service.queue.getStatus(taskId);
  if (live && (live.state === 'failed' || (live.state === 'completed' && live.result))) return answer(live);
  // A turn still holding its session was not announced: what the queue says is the answer, and
  // a client polling a running turn costs no statement. The reader is checked alongside.
  if (live && live.state !== 'completed' && service.queue.holdsSession) {
    const { holds, mayRead } = await slotAndReader(service, live.sessionId, taskId, ownerId);
    if (!mayRead) return taskNotFound(taskId);
    if (holds) return live;
  }
  const turn = await service.deps.store.turns.getTurnByTask(taskId);
  // An action that waited in a shared session's line (or went into a vote's turn).
  const pending = turn || live ? null : await service.arbiter.status(taskId, (id) => service.getTask(id).catch(() => null));
  // A shared session's, which the heads never know: straight to the database, no peek first.
  if (pending) return ownerId === undefined ? pending : service.sessionFor(ownerId, pending.sessionId, 'read').then(() => pending, () => taskNotFound(taskId));
  if (!turn && live) return answer(live);
  if (!turn) return taskNotFound(taskId);
  return answer({ taskId, sessionId: turn.sessionId, state: 'completed', attempts: Math.max(1, live?.attempts ?? 1), result: turn, error: null });
}
