import type { MemoryOrigin } from './memory-store.js';
import type { ActionKind, Decision, LoreCard, MemoryKind, SessionStatus, SessionSteering, StoryView, TurnState, TurnTimings } from '../types.js';

/** A turn as an export carries it: every timeline state, with the ink state stored after it. */
export interface TransferTurn {
  turnNo: number;
  state: TurnState;
  input: string;
  action: ActionKind;
  response: string;
  /** The model's narration when the player edited `response`; null when never edited. */
  originalResponse: string | null;
  decision: Decision;
  view: StoryView;
  inkState: string;
  timings: TurnTimings;
  createdAt: Date;
}

/** A memory as an export carries it: its text and place, not its vector (see session-document.ts). */
export interface TransferMemory {
  turnNo: number;
  kind: MemoryKind;
  text: string;
  importance: number;
  pinned: boolean;
  origin: MemoryOrigin;
}

/** What an export reads of a session besides the session row. */
export interface SessionContents {
  /** Every turn, by turn number then the order they were committed. */
  turns: TransferTurn[];
  /** By turn number then creation. */
  memories: TransferMemory[];
  /** The session's own cards (not the story's), oldest first. */
  cards: LoreCard[];
}

/** A new session written by an import, whole. */
export interface ImportedSession {
  id: string;
  ownerId: string;
  storyId: string;
  storyVersion: string;
  status: SessionStatus;
  turnNo: number;
  inkState: string;
  view: StoryView;
  upgradedAtTurn: number | null;
  steering: SessionSteering | null;
  turns: TransferTurn[];
  memories: (TransferMemory & { embedding: number[]; embeddingModel: string })[];
  cards: (LoreCard & { embedding: number[]; embeddingModel: string })[];
}

/** Reads a session whole for an export, and writes an imported one. */
export interface TransferStore {
  /** The session's turns (all states), memories and own cards. */
  contents(sessionId: string): Promise<SessionContents>;
  /** Insert the session with its turns, memories and cards in one transaction: all or nothing. */
  create(session: ImportedSession): Promise<void>;
}
