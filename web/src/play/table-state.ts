/**
 * The shared table around the story: who waits in line (free mode), whose turn it is (round
 * mode), the open vote, who is typing, and when the member list changed. A pure reducer over
 * session events (unit-tested in table-state.test.ts); the transcript is play-state.ts's.
 * @module
 */
import type { SessionEvent } from '../../../sdk/index.js';

export interface WaitingAction {
  taskId: string;
  userId: string;
  displayName: string | null;
  input: string;
  position: number;
}

export interface TableState {
  /** Actions waiting in line for the turn in flight, first first. */
  waiting: WaitingAction[];
  /** Who is typing, until when (epoch ms). */
  typing: Record<string, number>;
  /** Round mode: whose turn it is. */
  round: { userId: string; displayName: string | null; deadlineAt: string | null } | null;
  /** Vote mode: the open vote. */
  vote: { votes: number; deadlineAt: string } | null;
  /** Bumps when someone joins, leaves, comes online or goes offline: the member list is stale. */
  membersVersion: number;
}

/** How long a typing notice shows without another one. */
export const TYPING_SHOWS_MS = 4000;

export function emptyTable(): TableState {
  return { waiting: [], typing: {}, round: null, vote: null, membersVersion: 0 };
}

const TABLE_ONLY = ['member.joined', 'member.left', 'member.renamed', 'member.online', 'member.offline', 'member.typing', 'turn.queued', 'round.next', 'vote.cast', 'turn_mode.changed'] as const;
type TableEvent = Extract<SessionEvent, { type: (typeof TABLE_ONLY)[number] }>;

/** Events that concern only the table, never the transcript. */
export function isTableEvent(event: SessionEvent): event is TableEvent {
  return (TABLE_ONLY as readonly string[]).includes(event.type);
}

const without = (waiting: WaitingAction[], taskId: string | null) => waiting.filter((w) => w.taskId !== taskId).map((w, i) => ({ ...w, position: i + 1 }));

/** The table after `event`; the same object when the event does not concern it. */
export function applyTableEvent(table: TableState, event: SessionEvent, now = Date.now()): TableState {
  switch (event.type) {
    case 'turn.queued': {
      const entry = { taskId: event.task_id, userId: event.user_id, displayName: event.display_name, input: event.input, position: event.position };
      const rest = table.waiting.filter((w) => w.taskId !== event.task_id);
      const typing = { ...table.typing };
      delete typing[event.user_id];
      return { ...table, waiting: [...rest, entry].sort((a, b) => a.position - b.position), typing };
    }
    case 'turn.started': {
      const typing = { ...table.typing };
      if (event.user_id) delete typing[event.user_id];
      // A vote's turn started: the vote is closed.
      return { ...table, waiting: without(table.waiting, event.task_id), typing, vote: null };
    }
    case 'turn.failed':
      return table.waiting.some((w) => w.taskId === event.task_id) ? { ...table, waiting: without(table.waiting, event.task_id) } : table;
    case 'member.typing':
      return { ...table, typing: { ...table.typing, [event.user_id]: now + TYPING_SHOWS_MS } };
    case 'member.joined':
    case 'member.left':
    case 'member.renamed':
    case 'member.online':
    case 'member.offline':
      return { ...table, membersVersion: table.membersVersion + 1 };
    case 'round.next':
      return { ...table, round: { userId: event.user_id, displayName: event.display_name, deadlineAt: event.deadline_at } };
    case 'vote.cast':
      return { ...table, vote: { votes: event.votes, deadlineAt: event.deadline_at } };
    case 'turn_mode.changed':
      return { ...table, waiting: [], vote: null, round: null };
    default:
      return table;
  }
}

/** Who is typing now, apart from `me`. */
export function typingNow(table: TableState, me: string | null, now = Date.now()): string[] {
  return Object.entries(table.typing)
    .filter(([userId, until]) => until > now && userId !== me)
    .map(([userId]) => userId);
}
