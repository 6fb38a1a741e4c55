/**
 * Round mode: the session's players act in join order, the owner first. The round lives on the
 * session row (whose turn, since when), and every move is a compare-and-set, so of two web servers
 * that see a player's time run out, one skips them. A player's time starts when the turn before
 * theirs ends (the session's `updated_at`), and nobody is skipped while a turn runs.
 *
 * Skips happen when someone acts or asks (lazily, so they survive any process dying), and on time
 * through a timer in the web server that last moved the round, while anyone is online.
 * @module
 */
import { DramaError } from './errors.js';
import { publishCommitted } from './publish-committed.js';
import type { SessionHead } from './ports/session-store.js';
import type { TurnQueue } from './ports/turn-queue.js';
import type { IsOnline } from './presence.js';
import type { TurnDeps } from './turn-deps.js';
import type { RoundState } from './types.js';

/** A name for the narrator and the events: the member's, else a short stand-in. */
export function nameOf(head: Pick<SessionHead, 'ownerId'>, userId: string, displayName: string | null): string {
  return displayName ?? (userId === head.ownerId ? 'Host' : `player ${userId.slice(0, 4)}`);
}

/** A session's players in turn order (the owner, then players as they joined) and members' own names. */
export interface Roster {
  order: string[];
  /** A member's name in the session; absent or null for the owner and for members who set none. */
  names: ReadonlyMap<string, string | null>;
}

/** Where a player's accepted action leaves the round: what `advance` moves it from. */
export interface RoundTurn {
  stored: RoundState | null;
  roster: Roster;
}

export class RoundArbiter {
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: TurnDeps,
    private readonly queue: Pick<TurnQueue, 'isBusy'>,
    private readonly timeoutMs: () => number,
    private readonly isOnline?: IsOnline,
  ) {}

  /** The session's roster: one read of its members. */
  async roster(head: Pick<SessionHead, 'id' | 'ownerId'>): Promise<Roster> {
    const members = await this.deps.store.members.listMembers(head.id);
    return {
      order: [head.ownerId, ...members.filter((m) => m.role === 'player').map((m) => m.userId)],
      names: new Map(members.map((m) => [m.userId, m.displayName])),
    };
  }

  /** The round a session starts with: the owner's turn, from now. */
  firstRound(head: Pick<SessionHead, 'ownerId'>): RoundState {
    return { userId: head.ownerId, since: new Date(this.deps.clock.now()).toISOString() };
  }

  /** Refuse `userId` unless it is their turn (after skipping whoever let their time pass). */
  async checkTurn(head: SessionHead, userId: string): Promise<RoundTurn> {
    const roster = await this.roster(head);
    const current = await this.current(head, roster);
    if (current.userId === userId) return { stored: current.stored, roster };
    const displayName = roster.names.get(current.userId) ?? null;
    throw new DramaError('not_your_turn', `It is ${nameOf(head, current.userId, displayName)}'s turn`, { details: { user_id: current.userId, display_name: displayName } });
  }

  /** `userId` acted: the round moves to the next player, whose time starts when this turn ends. */
  async advance(head: SessionHead, turn: RoundTurn, userId: string): Promise<void> {
    const to = { userId: this.#after(turn.roster.order, userId), since: new Date(this.deps.clock.now()).toISOString() };
    if (await this.deps.store.actions.moveRound(head.id, turn.stored, to)) await this.announce(head, turn.roster, to, null, true);
  }

  /**
   * Whose turn it is, skipping (and announcing) each player whose time ran out while no turn ran.
   * A player who left the session is skipped at once.
   */
  async current(head: SessionHead, roster: Roster): Promise<RoundState & { stored: RoundState | null }> {
    const { order } = roster;
    let stored = head.round ?? null;
    let state = stored ?? this.firstRound(head);
    for (let i = 0; i <= order.length; i++) {
      const gone = !order.includes(state.userId);
      if (!gone && this.deadlineOf(head, state) > this.deps.clock.now()) break;
      if (!gone && (await this.queue.isBusy(head.id))) break;
      const next = { userId: gone ? order[0]! : this.#after(order, state.userId), since: new Date(this.deps.clock.now()).toISOString() };
      if (!(await this.deps.store.actions.moveRound(head.id, stored, next))) {
        // Another process moved it first: take what it wrote.
        const fresh = (await this.deps.store.sessions.getSessionHead(head.id))?.round ?? null;
        return { ...(fresh ?? state), stored: fresh };
      }
      await this.announce(head, roster, next, state.userId);
      stored = state = next;
    }
    return { ...state, stored };
  }

  /** When the player of `state` is skipped: their time starts when they got the turn or the last turn ended. */
  deadlineOf(head: Pick<SessionHead, 'updatedAt'>, state: RoundState): number {
    return Math.max(Date.parse(state.since), head.updatedAt.getTime()) + this.timeoutMs();
  }

  /** Tell the watchers whose turn it is (and who was skipped), and watch the clock. */
  async announce(head: SessionHead, roster: Roster, state: RoundState, skippedUserId: string | null, turnRunning = false): Promise<void> {
    const deadlineAt = turnRunning ? null : new Date(Date.parse(state.since) + this.timeoutMs()).toISOString();
    const displayName = roster.names.get(state.userId) ?? null;
    await publishCommitted(this.deps, head.id, { type: 'round.next', userId: state.userId, displayName, deadlineAt, skippedUserId }, { taskId: null, turnNo: head.turnNo });
    this.#schedule(head.id, this.timeoutMs());
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #after(order: string[], userId: string): string {
    const at = order.indexOf(userId);
    return order[(at + 1) % order.length]!;
  }

  /** Check the round after `delayMs`; web servers only, and only while someone is online. */
  #schedule(sessionId: string, delayMs: number): void {
    if (!this.isOnline) return;
    clearTimeout(this.#timers.get(sessionId));
    const timer = setTimeout(() => {
      this.#timers.delete(sessionId);
      this.#tick(sessionId).catch((err: unknown) => this.deps.logger.warn({ err, sessionId }, 'round check failed'));
    }, delayMs + 20);
    timer.unref();
    this.#timers.set(sessionId, timer);
  }

  async #tick(sessionId: string): Promise<void> {
    const head = await this.deps.store.sessions.getSessionHead(sessionId);
    if (!head || head.turnMode !== 'round' || head.status === 'ended') return;
    const roster = await this.roster(head);
    const anyone = await Promise.all(roster.order.map((u) => this.isOnline!(sessionId, u)));
    if (!anyone.some(Boolean)) return; // Nobody watching: the next action skips lazily.
    const state = await this.current(head, roster);
    // A turn that commits after this read moves the deadline later; the early tick then finds time left and waits again.
    const wait = (await this.queue.isBusy(sessionId)) ? this.timeoutMs() : this.deadlineOf(head, state) - this.deps.clock.now();
    if (!this.#timers.has(sessionId)) this.#schedule(sessionId, Math.max(0, wait));
  }
}
