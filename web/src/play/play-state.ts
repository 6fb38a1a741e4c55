/**
 * The play screen's state and how stream events change it, as pure functions (unit-tested in
 * play-state.test.ts). The REST transcript is the truth; events drive the live turn and say when
 * the transcript must be reloaded.
 *
 * Events are replayed from the server's buffer on every (re)join (`since=0`), so events of turns
 * that are already in the transcript (known task ids) are ignored: nothing is shown twice.
 * @module
 */
import type { ActionKind, Session, SessionEvent, Turn } from '../../../sdk/index.js';
import { applyTableEvent, emptyTable, isTableEvent, type TableState } from './table-state.js';

/** A turn in any timeline state (`active`, `undone`, `replaced` by a retry, `discarded`). */
export type TimelineTurn = Turn;
export type SessionView = Session;

/** `cancelled`: the player stopped it (a failure with code `cancelled`, shown as the player's choice, not as an error). */
export type LiveStatus = 'queued' | 'thinking' | 'writing' | 'judging' | 'retrying' | 'failed' | 'cancelled';

export interface LiveTurn {
  /** `pending:<key>` until the server answers the POST with the task id. */
  taskId: string;
  turnNo: number | null;
  input: string;
  action: ActionKind;
  text: string;
  status: LiveStatus;
  attempt: number;
  error?: { code: string; message: string };
  /** When the next attempt starts (epoch ms), while retrying. */
  retryAt?: number;
  /**
   * This turn replays the last one (the retry control). If it fails or is stopped the server puts
   * the earlier take back, so "send it again" means retry again, not a new action.
   */
  replaysLast?: boolean;
  /** Who acted (turn.started), in a shared session. */
  userId?: string | null;
}

export interface PlayState {
  session: SessionView;
  /** The active timeline, oldest first (turn 0 is the opening). */
  turns: TimelineTurn[];
  /** Every take of a turn number that was retried (replaced takes and the active one), oldest first. */
  versions: Record<number, TimelineTurn[]>;
  live: LiveTurn | null;
  /** Task ids of every committed turn, in any timeline state. */
  knownTasks: Set<string>;
  /** A shared session's table: the line, the round, the vote, who is typing. */
  table: TableState;
}

/** Build the state from the transcript (`GET …/turns?include=all`) and the session. */
export function fromTranscript(session: SessionView, all: TimelineTurn[], live: LiveTurn | null = null, table: TableState = emptyTable()): PlayState {
  const turns = all.filter((t) => t.state === 'active').sort((a, b) => a.turn_no - b.turn_no);
  const byNo = new Map<number, TimelineTurn[]>();
  for (const t of all) if (t.state === 'active' || t.state === 'replaced') byNo.set(t.turn_no, [...(byNo.get(t.turn_no) ?? []), t]);
  const versions: Record<number, TimelineTurn[]> = {};
  // A replaced take is kept even while its retry runs, so the new take joins it when it completes.
  for (const [no, list] of byNo) if (list.some((t) => t.state === 'replaced')) versions[no] = list.sort((a, b) => a.created_at.localeCompare(b.created_at));
  const knownTasks = new Set(all.map((t) => t.task_id).filter((id): id is string => id !== null));
  const stillLive = live && !knownTasks.has(live.taskId) ? live : null;
  return { session, turns, versions, live: stillLive, knownTasks, table };
}

/** The session as it is after a committed turn (what GET /api/sessions/:id would now say). */
function sessionAfter(session: SessionView, turn: Turn): SessionView {
  const s = turn.updated_state;
  return { ...session, turn_no: turn.turn_no, text: s.text, tags: s.tags, choices: s.choices, ended: s.ended, variables: s.variables, status: s.ended ? 'ended' : 'active', redo_available: false, updated_at: turn.created_at };
}

export interface EventOutcome {
  state: PlayState;
  /** The transcript changed in a way the event does not carry: fetch it again. */
  reload: boolean;
}

function liveFor(state: PlayState, event: Extract<SessionEvent, { task_id: string }>, patch: Partial<LiveTurn>): LiveTurn {
  const current = state.live && (state.live.taskId === event.task_id || state.live.taskId.startsWith('pending:')) ? state.live : null;
  return {
    taskId: event.task_id,
    turnNo: event.turn_no,
    input: current?.input ?? '',
    action: current?.action ?? 'do',
    text: current?.text ?? '',
    status: current?.status ?? 'thinking',
    attempt: current?.attempt ?? 1,
    ...(current?.replaysLast ? { replaysLast: true } : {}),
    ...(current?.userId !== undefined ? { userId: current.userId } : {}),
    ...patch,
  };
}

export function applyEvent(state: PlayState, event: SessionEvent, now = Date.now()): EventOutcome {
  const table = applyTableEvent(state.table, event, now);
  if (table !== state.table) state = { ...state, table };
  const same = (next: Partial<PlayState>, reload = false): EventOutcome => ({ state: { ...state, ...next }, reload });
  if (event.type === 'timeline.changed') return same({ session: { ...state.session, ...event.session } }, true);
  // The table's events do not change the transcript (a new turn mode changes the session).
  // The first join makes a session shared (its turn mode changes): reload it then too.
  if (isTableEvent(event)) return { state, reload: event.type === 'turn_mode.changed' || (event.type === 'member.joined' && !state.session.turn_mode) };
  if (state.knownTasks.has(event.task_id)) {
    // A later committed turn makes an older failure history.
    return isOver(state.live) && state.live!.taskId !== event.task_id ? same({ live: null }) : { state, reload: false };
  }
  switch (event.type) {
    case 'turn.started': {
      const restart = state.live?.taskId === event.task_id && event.attempt > state.live.attempt;
      // A turn numbered like the last one shown plays it again (a retry): marked so here too,
      // since this event may come before the retry's own 202 (a busy server), or from another tab.
      const replays = (state.turns.at(-1)?.turn_no ?? -1) >= event.turn_no;
      const live = liveFor(state, event, { input: event.input, action: event.action, attempt: event.attempt, status: 'thinking', error: undefined, retryAt: undefined, userId: event.user_id, ...(replays ? { replaysLast: true } : {}) });
      return same({ live: restart || state.live?.taskId !== event.task_id ? { ...live, text: '' } : live });
    }
    case 'narration.delta': {
      const live = liveFor(state, event, { status: 'writing' });
      return same({ live: { ...live, text: live.text + event.text } });
    }
    case 'turn.decision':
      return same({ live: liveFor(state, event, { status: 'judging' }) });
    case 'turn.retrying':
      return same({ live: liveFor(state, event, { status: 'retrying', error: event.error, attempt: event.attempt, retryAt: now + event.delay_ms }) });
    case 'turn.failed':
      return same({ live: liveFor(state, event, { status: event.error.code === 'cancelled' ? 'cancelled' : 'failed', error: event.error, retryAt: undefined }) });
    case 'turn.completed': {
      const turn = event.result;
      const knownTasks = new Set(state.knownTasks).add(event.task_id);
      const live = state.live && (state.live.taskId === event.task_id || state.live.taskId.startsWith('pending:')) ? null : state.live;
      const last = state.turns.at(-1);
      // The next turn on the active timeline: append it. Anything else (a retry of the last turn,
      // a turn after an undo we have not seen) needs the server's view.
      if (last && turn.turn_no === last.turn_no + 1) {
        const takes = state.versions[turn.turn_no];
        const versions = takes ? { ...state.versions, [turn.turn_no]: [...takes, turn] } : state.versions;
        return same({ turns: [...state.turns, turn], versions, session: sessionAfter(state.session, turn), live, knownTasks });
      }
      return same({ live, knownTasks }, true);
    }
  }
}

/** The optimistic live turn shown from the moment the player sends, before the server answers. */
export function pendingTurn(key: string, input: string, action: ActionKind): LiveTurn {
  return { taskId: `pending:${key}`, turnNo: null, input, action, text: '', status: 'queued', attempt: 1 };
}

/** The POST was accepted: the pending turn gets its task id (unless its events already gave it one). */
export function acceptTask(state: PlayState, key: string, taskId: string): PlayState {
  if (state.knownTasks.has(taskId)) return state.live?.taskId === `pending:${key}` ? { ...state, live: null } : state;
  return state.live?.taskId === `pending:${key}` ? { ...state, live: { ...state.live, taskId } } : state;
}

/** The live turn ended without a committed turn (failed or cancelled): shown until dismissed or replaced. */
function isOver(live: LiveTurn | null): boolean {
  return live !== null && (live.status === 'failed' || live.status === 'cancelled');
}

/** True while a turn is queued or running: new actions would get 409 turn_in_progress. */
export function isBusy(state: PlayState): boolean {
  return state.live !== null && !isOver(state.live);
}

/**
 * The cancel route answered that `taskId` stopped: show it cancelled at once (its `turn.failed`
 * may come a moment later, and says the same).
 */
export function markCancelled(state: PlayState, taskId: string, error: { code: string; message: string }): PlayState {
  const live = state.live;
  if (!live || (live.taskId !== taskId && !live.taskId.startsWith('pending:')) || isOver(live)) return state;
  return { ...state, live: { ...live, taskId, status: 'cancelled', error, retryAt: undefined } };
}
