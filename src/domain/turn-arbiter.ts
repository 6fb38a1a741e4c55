/**
 * Who acts when in a shared session, on top of the turn queue's "one turn at a time per session":
 *
 * - `free`: an action that arrives while a turn runs waits in the session's line (in the
 *   database, so every web server shares one line in one order) and becomes its own turn, once,
 *   in arrival order. The line has a cap (`queue_full`, 429).
 * - `round`: players act in join order (the owner first); out of turn is `not_your_turn`, and a
 *   player who lets ROUND_TIMEOUT_S pass is skipped (see round-arbiter.ts). The player whose
 *   turn it is may act while the turn before theirs still runs: their action waits in the line.
 * - `vote`: actions are collected for VOTE_WINDOW_S, or until every online player has one in, and
 *   become one turn whose narrator sees each player's action by name.
 *
 * Whoever frees the session starts what waits next (`pump`): the worker after a turn ends, the
 * web server that took an action, or a status read that finds the line stuck (a worker that died
 * between its commit and its pump). Starting a waiting action is idempotent by its task id, so
 * two processes pumping at once start it once.
 * @module
 */
import { DramaError, isDramaError } from './errors.js';
import type { PendingAction } from './ports/action-store.js';
import type { SessionHead } from './ports/session-store.js';
import type { TaskStatus, TurnQueue } from './ports/turn-queue.js';
import type { IsOnline } from './presence.js';
import { publishCommitted } from './publish-committed.js';
import { nameOf, RoundArbiter } from './round-arbiter.js';
import type { TurnDeps } from './turn-deps.js';
import type { ActionKind, TurnMode } from './types.js';

export interface ArbiterLimits {
  /** Actions that may wait per session (MAX_QUEUED_ACTIONS). */
  maxQueuedActions: number;
  /** Round mode: how long a player has to act (ROUND_TIMEOUT_S). */
  roundTimeoutMs: number;
  /** Vote mode: how long a vote stays open (VOTE_WINDOW_S). */
  voteWindowMs: number;
}

/** An accepted action, before the arbiter decides when it plays. */
export interface ArbitratedAction {
  taskId: string;
  userId: string;
  input: string;
  action: ActionKind;
}

type ArbiterQueue = Pick<TurnQueue, 'enqueue' | 'getStatus' | 'isBusy'>;


/** A waiting action's status: queued, with its 1-based place in the line. */
function queuedStatus(pending: PendingAction & { position: number | null }): TaskStatus & { position: number } {
  return { taskId: pending.taskId, sessionId: pending.sessionId, attempts: 0, result: null, error: null, state: 'queued', position: pending.position ?? 1 };
}

export class TurnArbiter {
  readonly rounds: RoundArbiter;
  readonly #voteTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: TurnDeps,
    private readonly queue: ArbiterQueue,
    private readonly limits: () => ArbiterLimits,
    private readonly isOnline?: IsOnline,
  ) {
    this.rounds = new RoundArbiter(deps, queue, () => limits().roundTimeoutMs, isOnline);
  }

  /** Take an action in a shared session (`head.turnMode` set): start it, queue it, or refuse it. */
  async submit(head: SessionHead, action: ArbitratedAction): Promise<TaskStatus> {
    // Round mode: only the player whose turn it is gets into the line (it waits if the turn before still runs).
    const round = head.turnMode === 'round' ? await this.rounds.checkTurn(head, action.userId) : undefined;
    const pushed = await this.deps.store.actions.push({ ...action, sessionId: head.id }, { cap: this.limits().maxQueuedActions, onePerUser: head.turnMode === 'vote' });
    if (pushed.kind === 'full') {
      throw new DramaError('queue_full', `${pushed.limit} actions are already waiting in this session; try again once the line moves`, { details: { limit: pushed.limit } });
    }
    if (round !== undefined && pushed.kind === 'added') await this.rounds.advance(head, round, action.userId);
    if (head.turnMode === 'vote') await this.#castVote(head, action);
    else await this.pump(head.id);
    const pending = await this.deps.store.actions.get(action.taskId);
    if (pending?.state === 'waiting') {
      const waiting = queuedStatus(pending);
      if (pushed.kind === 'added' && head.turnMode !== 'vote') {
        const event = { type: 'turn.queued', position: waiting.position, userId: action.userId, displayName: pending.displayName, input: action.input, action: action.action } as const;
        await publishCommitted(this.deps, head.id, event, { taskId: action.taskId, turnNo: head.turnNo });
      }
      return waiting;
    }
    const status = await this.status(action.taskId);
    if (!status) throw new Error(`action ${action.taskId} vanished`);
    return status;
  }

  /**
   * Start what waits next in the session, if the session is free: the first action in line (free
   * mode), or the vote once it is due. Cheap when nothing waits (two reads).
   */
  async pump(sessionId: string): Promise<void> {
    const head = await this.deps.store.sessions.getSessionHead(sessionId);
    if (!head?.turnMode) return;
    const waiting = await this.deps.store.actions.waiting(sessionId);
    if (head.status === 'ended') return this.#dropAll(head, waiting, 'story_ended', 'The story has ended; this action can no longer be played');
    if (head.turnMode === 'vote') return this.#closeVoteIfDue(head, waiting);
    const next = waiting[0];
    if (next) await this.#dispatch(head, [next], { ownerId: next.userId, input: next.input, action: next.action });
  }

  /**
   * The status of an action that went through the line: waiting (with its place), dropped, or
   * the status of the turn it went into. Null when the task never waited in a line.
   */
  async status(taskId: string, lookup: (turnTaskId: string) => Promise<TaskStatus | null> = (id) => this.queue.getStatus(id)): Promise<TaskStatus | null> {
    const pending = await this.deps.store.actions.get(taskId);
    if (!pending) return null;
    const base = { taskId, sessionId: pending.sessionId, attempts: 0, result: null, error: null };
    if (pending.state === 'waiting') {
      // First in line with nothing running means a pump was lost (a worker died after its commit).
      if (pending.position === 1 && !(await this.queue.isBusy(pending.sessionId))) await this.pump(pending.sessionId);
      const again = await this.deps.store.actions.get(taskId);
      if (again?.state === 'waiting') return queuedStatus(again);
      return this.status(taskId, lookup);
    }
    if (pending.state === 'dropped') return { ...base, state: 'failed', error: { code: 'cancelled', message: 'This action was dropped before its turn (the mode changed or the story ended)' } };
    const turn = await lookup(pending.turnTaskId ?? taskId);
    return turn ? { ...turn, taskId } : { ...base, state: 'queued' };
  }

  /** The owner sets who acts when. Actions still waiting are dropped (each gets turn.failed). */
  async setMode(head: SessionHead, mode: TurnMode): Promise<void> {
    if (head.turnMode === mode) return;
    const round = mode === 'round' ? this.rounds.firstRound(head) : null;
    await this.deps.store.actions.setMode(head.id, mode, round);
    await this.#dropAll(head, await this.deps.store.actions.waiting(head.id), 'cancelled', 'The owner changed the turn mode; act again');
    await publishCommitted(this.deps, head.id, { type: 'turn_mode.changed', turnMode: mode }, { taskId: null, turnNo: head.turnNo });
    if (round) await this.rounds.announce(head, await this.rounds.roster(head), round, null);
  }

  /** Stop the timers this process holds (shutdown). */
  close(): void {
    for (const timer of this.#voteTimers.values()) clearTimeout(timer);
    this.#voteTimers.clear();
    this.rounds.close();
  }

  #job(head: SessionHead, action: Pick<ArbitratedAction, 'taskId' | 'input' | 'action'>, who: { ownerId: string; actors?: string[] }) {
    return {
      taskId: action.taskId,
      sessionId: head.id,
      ownerId: who.ownerId,
      input: action.input,
      action: action.action,
      enqueuedAt: this.deps.clock.now(),
      turnNo: head.turnNo + 1,
      shared: true,
      ...(who.actors ? { actors: who.actors } : {}),
    };
  }

  /** Start `actions` as one turn (task id of the first); false while another turn runs. */
  async #dispatch(head: SessionHead, actions: PendingAction[], turn: { ownerId: string; input: string; action: ActionKind; actors?: string[] }): Promise<boolean> {
    const taskId = actions[0]!.taskId;
    // Already started by another process that has not marked it yet: only mark it.
    if (!(await this.queue.getStatus(taskId))) {
      try {
        await this.queue.enqueue(this.#job(head, { taskId, input: turn.input, action: turn.action }, turn));
      } catch (err) {
        if (isDramaError(err) && err.code === 'turn_in_progress') return false;
        throw err;
      }
    }
    await this.deps.store.actions.dispatch(actions.map((a) => a.taskId), taskId);
    return true;
  }

  async #dropAll(head: SessionHead, waiting: PendingAction[], code: 'cancelled' | 'story_ended', message: string): Promise<void> {
    const dropped = await this.deps.store.actions.drop(waiting.map((a) => a.taskId));
    for (const taskId of dropped) await publishCommitted(this.deps, head.id, { type: 'turn.failed', error: { code, message } }, { taskId, turnNo: head.turnNo + 1 });
  }

  async #castVote(head: SessionHead, action: ArbitratedAction): Promise<void> {
    const deadline = await this.deps.store.actions.openVote(head.id, new Date(this.deps.clock.now() + this.limits().voteWindowMs));
    const votes = await this.deps.store.actions.waiting(head.id);
    const mine = votes.find((v) => v.taskId === action.taskId);
    if (deadline) {
      const event = { type: 'vote.cast', userId: action.userId, displayName: mine?.displayName ?? null, votes: votes.length, deadlineAt: deadline.toISOString() } as const;
      await publishCommitted(this.deps, head.id, event, { taskId: action.taskId, turnNo: head.turnNo + 1 });
      this.#scheduleVote(head.id, deadline);
    }
    await this.#closeVoteIfDue({ ...head, voteDeadline: deadline }, votes);
  }

  async #closeVoteIfDue(head: SessionHead, votes: PendingAction[]): Promise<void> {
    const deadline = head.voteDeadline;
    if (!deadline) return;
    if (votes.length === 0) return void (await this.deps.store.actions.closeVote(head.id, deadline));
    if (deadline.getTime() > this.deps.clock.now() && !(await this.#everyoneVoted(head, votes))) return;
    const kinds = new Set(votes.map((v) => v.action));
    const actors = votes.map((v) => nameOf(head, v.userId, v.displayName));
    const input = votes.map((v, i) => `${actors[i]}: ${v.input}`).join('\n');
    const started = await this.#dispatch(head, votes, { ownerId: votes[0]!.userId, input, action: kinds.size === 1 ? votes[0]!.action : 'do', actors });
    if (!started) return; // A turn runs; its end pumps again.
    await this.deps.store.actions.closeVote(head.id, deadline);
    // Votes that came in while this one closed open the next window.
    const late = await this.deps.store.actions.waiting(head.id);
    if (late.length > 0) {
      const next = await this.deps.store.actions.openVote(head.id, new Date(this.deps.clock.now() + this.limits().voteWindowMs));
      if (next) this.#scheduleVote(head.id, next);
    }
  }

  /** Every player who is online has an action in (never true where presence is unknown: a worker). */
  async #everyoneVoted(head: SessionHead, votes: PendingAction[]): Promise<boolean> {
    if (!this.isOnline) return false;
    const voters = new Set(votes.map((v) => v.userId));
    const online: string[] = [];
    for (const userId of (await this.rounds.roster(head)).order) if (await this.isOnline(head.id, userId)) online.push(userId);
    return online.length > 0 && online.every((u) => voters.has(u));
  }

  #scheduleVote(sessionId: string, deadline: Date): void {
    if (!this.isOnline) return; // Workers close due votes when their turn ends; timers are the web servers'.
    clearTimeout(this.#voteTimers.get(sessionId));
    const timer = setTimeout(() => {
      this.#voteTimers.delete(sessionId);
      this.pump(sessionId).catch((err: unknown) => this.deps.logger.warn({ err, sessionId }, 'could not close the vote'));
    }, Math.max(0, deadline.getTime() - this.deps.clock.now()) + 20);
    timer.unref();
    this.#voteTimers.set(sessionId, timer);
  }
}
