/**
 * The use cases every front end (HTTP, terminal player, benchmarks) calls. Ownership and input
 * checks live here, once, rather than in each transport.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { cleanText } from './clean-text.js';
import { DramaError } from './errors.js';
import type { TaskStatus, TurnQueue } from './ports/turn-queue.js';
import { startSession } from './start-session.js';
import { installStory, type InstallStoryInput } from './stories.js';
import type { TurnDeps } from './turn-deps.js';
import type { ActionKind, SessionRecord, StoryRecord, TurnResult } from './types.js';

export interface ServiceLimits {
  maxInputChars: number;
}

export interface SubmitAction {
  ownerId: string;
  sessionId: string;
  input: string;
  action: ActionKind;
  /** Same key (per owner and session) → same task; a retried request never doubles a turn. */
  idempotencyKey?: string;
}

export class DramaService {
  constructor(
    readonly deps: TurnDeps,
    readonly queue: TurnQueue,
    readonly limits: ServiceLimits,
  ) {}

  /** The shipped stories plus the user's own (all stories when no user is given). */
  listStories(visibleTo?: string): Promise<StoryRecord[]> {
    return this.deps.store.stories.listStories(visibleTo === undefined ? {} : { visibleTo });
  }

  async getStory(id: string): Promise<StoryRecord> {
    const story = await this.deps.store.stories.getStory(id);
    if (!story) throw new DramaError('story_not_found', `Story ${id} not found`);
    return story;
  }

  installStory(input: InstallStoryInput): Promise<StoryRecord> {
    return installStory(this.deps, input);
  }

  startSession(ownerId: string, storyId: string): Promise<{ session: SessionRecord; opening: TurnResult }> {
    return startSession(this.deps, { ownerId, storyId });
  }

  /** A session the caller owns; someone else's session is reported as not found (no probing). */
  async getSession(ownerId: string, sessionId: string): Promise<SessionRecord> {
    const session = await this.deps.store.sessions.getSession(sessionId);
    if (!session || session.ownerId !== ownerId) throw new DramaError('session_not_found', `Session ${sessionId} not found`);
    return session;
  }

  async listTurns(ownerId: string, sessionId: string, page: { afterTurnNo?: number; limit: number }): Promise<TurnResult[]> {
    await this.getSession(ownerId, sessionId);
    return this.deps.store.turns.listTurns(sessionId, page);
  }

  /** Queue a turn. Throws `turn_in_progress` while the session has one queued or running. */
  async submitAction(req: SubmitAction): Promise<TaskStatus> {
    const input = cleanText(req.input).trim();
    if ([...input].length > this.limits.maxInputChars) {
      throw new DramaError('payload_too_large', `user_input is longer than ${this.limits.maxInputChars} characters`);
    }
    if (input.length === 0 && req.action !== 'continue') {
      throw new DramaError('bad_request', 'user_input is empty', { details: [{ path: 'user_input', message: 'required unless action is "continue"' }] });
    }
    const session = await this.getSession(req.ownerId, req.sessionId);
    const taskId = req.idempotencyKey
      ? createHash('sha256').update(`${req.ownerId}\0${req.sessionId}\0${req.idempotencyKey}`).digest('hex').slice(0, 32)
      : randomUUID();
    if (req.idempotencyKey) {
      const earlier = await this.getTask(taskId).catch(() => null);
      if (earlier) return earlier;
    }
    if (session.status === 'ended') throw new DramaError('story_ended', 'This story has ended; start a new session to play again');
    return this.queue.enqueue({ taskId, sessionId: session.id, ownerId: req.ownerId, input, action: req.action, enqueuedAt: this.deps.clock.now() });
  }

  /**
   * A task's status: the committed turn if there is one (the database is the truth: a turn is
   * complete once committed, even while its job is still being wrapped up), else the queue's view.
   */
  async getTask(taskId: string, ownerId?: string): Promise<TaskStatus> {
    const live = await this.queue.getStatus(taskId);
    if (live && (live.state === 'completed' || live.state === 'failed')) {
      if (ownerId !== undefined) await this.getSession(ownerId, live.sessionId).catch(() => this.#taskNotFound(taskId));
      return live;
    }
    const turn = await this.deps.store.turns.getTurnByTask(taskId);
    if (!turn && live) {
      if (ownerId !== undefined) await this.getSession(ownerId, live.sessionId).catch(() => this.#taskNotFound(taskId));
      return live;
    }
    if (!turn) return this.#taskNotFound(taskId);
    if (ownerId !== undefined) await this.getSession(ownerId, turn.sessionId).catch(() => this.#taskNotFound(taskId));
    return { taskId, sessionId: turn.sessionId, state: 'completed', attempts: Math.max(1, live?.attempts ?? 1), result: turn, error: null };
  }

  #taskNotFound(taskId: string): never {
    throw new DramaError('task_not_found', `Task ${taskId} not found`);
  }
}
