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
 * Asked with a task, the heads also tell in the same call whether it holds the session's turn
 * slot (`holds`; absent without heads, or when Redis did not answer).
 */
export async function readableSession(service: SessionReader, userId: string, sessionId: string, taskId?: string): Promise<{ shared: boolean; holds?: boolean }> {
  const heads = service.deps.heads;
  // Redis unreachable: the database answers, as it would without heads.
  const peek = heads && !hasNul(sessionId) ? await heads.peek(sessionId, userId, taskId).catch(() => null) : null;
  const holds = peek?.holds === undefined ? {} : { holds: peek.holds };
  if (peek?.known) return { shared: false, ...holds };
  const head = await service.sessionFor(userId, sessionId, 'read');
  if (heads && peek) rememberIfSolo(service, heads, head, userId, peek.stamp);
  return { shared: Boolean(head.turnMode), ...holds };
}

/**
 * Whether `taskId` still holds its session's turn slot, and whether `ownerId` (if given) may read
 * the session. The read check's peek of the shared session heads answers both (they take that
 * slot for actions, so they can tell who holds it): a client polling a running turn costs one
 * Redis call there instead of two. Otherwise the queue says.
 */
async function slotAndReader(service: SessionReader, sessionId: string, taskId: string, ownerId: string | undefined): Promise<{ holds: boolean; mayRead: boolean }> {
  const read: { holds?: boolean } | null = ownerId === undefined ? {} : await readableSession(service, ownerId, sessionId, taskId).catch(() => null);
  if (!read) return { holds: false, mayRead: false };
  return { holds: read.holds ?? (await service.queue.holdsSession!(sessionId, taskId)), mayRead: true };
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
