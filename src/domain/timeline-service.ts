/**
 * Time controls: undo, redo, retry and fork. Ownership is checked as everywhere (someone else's
 * session is not found). Each refuses with `turn_in_progress` while the session has a turn
 * queued or running: the queue is asked first, and undo, redo and the retry rewind bump the
 * session's version, so a turn that slips in between fails its commit instead of writing over
 * them. Watching clients learn of a move through `timeline.changed` on the session's events.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { SessionAccess } from './session-access.js';
import { DramaError } from './errors.js';
import { loadStoryRuntime } from './load-story.js';
import type { EventBus, SessionSnapshot, TimelineChange } from './ports/event-bus.js';
import type { Store } from './ports/store.js';
import type { TaskStatus, TurnJob } from './ports/turn-queue.js';
import type { Logger } from '../shared/log.js';
import { cleanText } from './clean-text.js';
import type { ActionKind, SessionRecord, TurnResult } from './types.js';

/** An edited passage's bound: several times what a narrator writes in one turn. */
export const MAX_NARRATION_CHARS = 20_000;

/** The session as an event carries it (plain JSON, no ink state). */
export function sessionSnapshot(s: SessionRecord): SessionSnapshot {
  const { inkState: _ink, createdAt, updatedAt, ...rest } = s;
  return { ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

/** Tell the session's watchers that it moved along its timeline; best effort. */
async function announce(deps: TimelineDeps, reason: TimelineChange, session: SessionRecord, taskId: string | null = null): Promise<void> {
  try {
    await deps.bus.publish({ type: 'timeline.changed', reason, session: sessionSnapshot(session), sessionId: session.id, taskId, turnNo: session.turnNo });
  } catch (err) {
    // The move is committed; a client that missed the event sees it on its next read.
    deps.logger.warn({ err, sessionId: session.id, reason }, 'timeline.changed was not published');
  }
}

/** What a retry may change: the player's words and the kind of action (both default to the last turn's). */
export interface RetryEdit {
  input?: string;
  action?: ActionKind;
}

type TimelineDeps = { store: Pick<Store, 'timeline' | 'turns'>; bus: EventBus; logger: Logger };

/**
 * A retry's task failed or was cancelled: put back the take it replaced, so the player is where
 * they were before asking for the retry (the queue's onFailed hook calls this, before
 * `turn.failed` goes out). Nothing happens if the session has moved on since.
 */
export async function restoreAfterFailedRetry(deps: TimelineDeps, job: Pick<TurnJob, 'sessionId' | 'retryOf'>): Promise<void> {
  if (job.retryOf === undefined) return;
  try {
    const session = await deps.store.timeline.restoreReplaced(job.sessionId, job.retryOf);
    if (session) await announce(deps, 'restore', session);
  } catch (err) {
    deps.logger.warn({ err, sessionId: job.sessionId, turnNo: job.retryOf }, 'could not restore the turn a failed retry replaced');
  }
}

function turnOutOfRange(turnNo: number, last: number): DramaError {
  return new DramaError('bad_request', `Turn ${turnNo} is not on the session's timeline (0 to ${last})`, {
    details: [{ path: 'turn_no', message: `must be between 0 and ${last}` }],
  });
}

export class TimelineService {
  constructor(private readonly service: SessionAccess) {}

  get #deps() {
    return this.service.deps;
  }

  /** Back to the state after the previous turn; the undone turn waits for a redo. */
  async undo(ownerId: string, sessionId: string): Promise<SessionRecord> {
    await this.#idleSession(ownerId, sessionId);
    const session = await this.#deps.store.timeline.undo(sessionId);
    await announce(this.#deps, 'undo', session);
    return session;
  }

  /** Forward again to the next undone turn. */
  async redo(ownerId: string, sessionId: string): Promise<SessionRecord> {
    await this.#idleSession(ownerId, sessionId);
    const session = await this.#deps.store.timeline.redo(sessionId);
    await announce(this.#deps, 'redo', session);
    return session;
  }

  /**
   * Play the last turn again: it is kept as a `replaced` alternative, the session goes back to
   * the turn before, and the same input and action (or the edited ones) are queued as a new task. If that task
   * fails or is cancelled (or cannot be queued), the replaced take is put back.
   */
  async retry(ownerId: string, sessionId: string, edit: RetryEdit = {}): Promise<TaskStatus> {
    await this.#idleSession(ownerId, sessionId);
    // An edited input is checked as a new action's would be, before anything is rewound.
    const editedInput = edit.input === undefined ? undefined : this.service.actionInput(edit.input, edit.action ?? 'do');
    // Refused before anything is rewound: a retry calls the models like any action.
    await this.service.checkBudget(ownerId);
    const { session, replaced } = await this.#deps.store.timeline.replaceLast(sessionId);
    const action = edit.action ?? replaced.action;
    let input = editedInput ?? replaced.input;
    if (editedInput === undefined && edit.action !== undefined) {
      // Only the action changed: the old words must suit it (a `continue` had none to `say`).
      try {
        input = this.service.actionInput(replaced.input, action);
      } catch (err) {
        await restoreAfterFailedRetry(this.#deps, { sessionId, retryOf: replaced.turnNo });
        throw err;
      }
    }
    // Announced before the task is queued, so watchers see the rewind before the new turn's events.
    const taskId = randomUUID();
    await announce(this.#deps, 'retry', session, taskId);
    const job: TurnJob = { taskId, sessionId, ownerId, input, action, enqueuedAt: this.#deps.clock.now(), turnNo: replaced.turnNo, retryOf: replaced.turnNo };
    try {
      return await this.service.queue.enqueue(job);
    } catch (err) {
      await restoreAfterFailedRetry(this.#deps, job);
      throw err;
    }
  }

  /** A new session of the caller's, copied from this one as it was after `turnNo`. The source does not change. */
  async fork(ownerId: string, sessionId: string, turnNo: number): Promise<SessionRecord> {
    const source = await this.#idleSession(ownerId, sessionId);
    if (!Number.isInteger(turnNo) || turnNo < 0 || turnNo > source.turnNo) throw turnOutOfRange(turnNo, source.turnNo);
    await this.service.checkSessionQuota(ownerId);
    const forked = await this.#deps.store.timeline.fork({ sourceId: sessionId, atTurn: turnNo, newId: randomUUID(), ownerId });
    // The source was undone past turnNo between the check and the copy.
    if (!forked) throw turnOutOfRange(turnNo, (await this.service.getSession(ownerId, sessionId)).turnNo);
    return forked;
  }

  /**
   * Move the session to a newer version of its story (default: the latest), carrying its ink
   * state (variables, visit counts, position). `upgrade_incompatible` names the positions the new
   * version lacks, and the session is left as it was. Undo, retry and fork stop at this turn.
   */
  async upgrade(ownerId: string, sessionId: string, versionNo?: number): Promise<SessionRecord> {
    const session = await this.#idleSession(ownerId, sessionId);
    const deps = this.#deps;
    const story = await this.service.getStory(session.storyId);
    const [from, to] = await Promise.all([
      deps.store.stories.getVersion(story.id, session.storyVersion),
      versionNo === undefined ? deps.store.stories.getVersion(story.id, story.currentVersion) : deps.store.stories.getVersionByNumber(story.id, versionNo),
    ]);
    if (!to) throw new DramaError('not_found', `The story has no version ${versionNo}`);
    if (to.hash === session.storyVersion) return session;
    if ((to.versionNo ?? 0) < (from?.versionNo ?? 0)) throw new DramaError('bad_request', `The session plays version ${from?.versionNo}; it can only move to a newer one`);
    const runtime = await loadStoryRuntime(deps, story.id, to.hash);
    const carried = runtime.adopt(session.inkState, session.view);
    const upgraded = await deps.store.timeline.upgrade({ sessionId, expectedVersion: session.version, storyVersion: to.hash, inkState: carried.state, view: carried.view });
    await announce(deps, 'upgrade', upgraded);
    return upgraded;
  }

  /**
   * The player rewrites a passage: the turn's narration becomes `text` (the model's stays as the
   * original), and later turns' history reads the new text. Refused while a turn runs, since that
   * turn's context was built from the old text.
   */
  async editNarration(ownerId: string, sessionId: string, turnNo: number, text: string): Promise<TurnResult> {
    const narration = cleanText(text).trim();
    if (narration === '') throw new DramaError('bad_request', 'narration is empty', { details: [{ path: 'narration', message: 'required' }] });
    if ([...narration].length > MAX_NARRATION_CHARS) throw new DramaError('payload_too_large', `narration is longer than ${MAX_NARRATION_CHARS} characters`);
    const session = await this.#idleSession(ownerId, sessionId);
    const edited = await this.#deps.store.turns.editResponse(sessionId, turnNo, narration);
    if (!edited) throw new DramaError('not_found', `The session has no turn ${turnNo} on its timeline`);
    await announce(this.#deps, 'edit', session);
    return edited;
  }

  async #idleSession(ownerId: string, sessionId: string): Promise<SessionRecord> {
    const session = await this.service.getSession(ownerId, sessionId);
    if (await this.service.queue.isBusy(sessionId)) {
      throw new DramaError('turn_in_progress', 'This session has a turn in progress; wait for it to finish');
    }
    return session;
  }
}
