/**
 * Core value types of a mock-drama turn. Plain data only: everything here crosses process
 * boundaries (queue payloads, event bus, database JSON) and must survive JSON round trips.
 * @module
 */
import type { RoundState, TurnMode } from './turn-mode.js';
export { TURN_MODES, type RoundState, type TurnMode } from './turn-mode.js';

/** How the player's input should be read: an action, a spoken line, authorial text, or "go on". */
export type ActionKind = 'do' | 'say' | 'story' | 'continue';
export const ACTION_KINDS: readonly ActionKind[] = ['do', 'say', 'story', 'continue'];

/** A value an ink variable can hold that the judge may write. */
export type VariableValue = string | number | boolean;
export type VariableType = 'int' | 'float' | 'bool' | 'string';

/** A variable the story lets the judge change, with the type taken from its `VAR` declaration. */
export interface WritableVariable {
  name: string;
  type: VariableType;
}

/** One choice the ink story currently offers; `index` is what ChooseChoiceIndex takes. */
export interface Choice {
  index: number;
  text: string;
  /** The choice's ink tags (`* [Open the door #sound: creak]`); absent in sessions saved before tags were kept. */
  tags?: string[];
}

/** What the story shows right now: text produced since the last choice, the choices on offer. */
export interface StoryView {
  /** Text produced by the last ContinueMaximally, lines joined with "\n". */
  text: string;
  /** Tags of every line of `text`, in order (not only the last line's). */
  tags: string[];
  choices: Choice[];
  /** True when the story can neither continue nor offer a choice (an ending). */
  ended: boolean;
  /** Current values of every global variable the story declares. */
  variables: Record<string, VariableValue>;
  /**
   * Where the story stands, as a knot or `knot.stitch`: where the offered choices are written, or
   * where the story ended. Absent when neither is known (views saved before positions were kept).
   */
  position?: string;
}

/** A compile diagnostic with a 1-based line number (0 when ink gave none). */
/** A story written as several files: `main` is compiled, and its INCLUDEs name the others. */
export interface InkFiles {
  main: string;
  files: Record<string, string>;
}

export interface InkDiagnostic {
  /** The file, in a story of several files. */
  file?: string;
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

/** A compiled story version; `hash` is the content hash of `compiledJson` and is the version id. */
export interface StoryVersion {
  storyId: string;
  hash: string;
  /** 1, 2, 3… in the order the versions were stored (absent on a version not stored yet). */
  versionNo?: number;
  compiledJson: string;
  writableVariables: WritableVariable[];
}

export interface StoryRecord {
  id: string;
  slug: string;
  title: string;
  ownerId: string | null;
  currentVersion: string;
  source: string;
  /** A story of several files (INCLUDE): every file and the one compiled; absent for one file. */
  sourceFiles?: InkFiles | null;
  /**
   * A hash of the source and of the compiler that made `currentVersion` from it: the same key
   * again means compiling would give the same version (null: stored before it was kept).
   */
  sourceKey?: string | null;
  /** Who may open it besides its owner (shipped stories are public). */
  visibility: StoryVisibility;
  /** Hidden by a moderator: only its owner and admins see it, and no new session may start on it. */
  hidden: boolean;
  createdAt: Date;
}

/** A story without its source: what access checks and starting a session need. */
export type StoryHead = Omit<StoryRecord, 'source' | 'sourceFiles'>;

export type SessionStatus = 'active' | 'ended';

/**
 * Where a committed turn stands on the session's timeline: `active` turns are the story so far;
 * `undone` ones wait for a redo; `replaced` ones were retried (kept as alternatives, like swipes);
 * `discarded` ones were undone and then overwritten by a new action.
 */
export type TurnState = 'active' | 'undone' | 'replaced' | 'discarded';

/** Who may open a story: its owner only, or every signed-in player. Shipped stories are public. */
export type StoryVisibility = 'private' | 'public';

/** A member's part in a shared session: a player acts, a spectator only watches. The owner is not a member. */
export type MemberRole = 'player' | 'spectator';

/** Who the player is in the story. */
export interface Persona {
  name: string;
  description: string;
}

/**
 * How the player steers the narrator of one session, every turn until changed: the author's note
 * (placed a few entries before the end of the context), the persona and their own instructions
 * (in the stable part, after the story's guidance, never above the rules).
 */
export interface SessionSteering {
  authorNote?: string;
  persona?: Persona;
  instructions?: string;
}

export interface SessionRecord {
  id: string;
  ownerId: string;
  storyId: string;
  storyVersion: string;
  inkState: string;
  turnNo: number;
  /** Optimistic-concurrency version, bumped by every committed turn. */
  version: number;
  status: SessionStatus;
  /** The story view after the last committed turn (what the player is looking at). */
  view: StoryView;
  /** Set on a fork: the session and turn it was copied from. */
  forkedFrom?: string | null;
  forkedAtTurn?: number | null;
  /** Set by an upgrade: the turn at which the session moved to another story version (undo, retry and fork stop there). */
  upgradedAtTurn?: number | null;
  /** The player's author's note, persona and instructions; absent or null when none. */
  steering?: SessionSteering | null;
  /** An undone turn waits to be redone (read with the session; absent = none). */
  redoAvailable?: boolean;
  /** Who acts when (shared sessions); null or absent for a session nobody joined. */
  turnMode?: TurnMode | null;
  /** Round mode: whose turn it is and since when. */
  round?: RoundState | null;
  /** Vote mode: when the open vote closes; null when none is open. */
  voteDeadline?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A memory the judge thinks is worth keeping; importance 1 (trivial) to 10 (life-changing). */
export interface MemoryDraft {
  text: string;
  importance: number;
}

export interface StoredMemory extends MemoryDraft {
  id: string;
  sessionId: string;
  turnNo: number;
  kind: MemoryKind;
  /** Cosine similarity to the query when returned by a search; the retrieval score after re-ranking. */
  score?: number;
  /** Pinned memories enter every turn's context. */
  pinned?: boolean;
}

/** What a memory is: something that happened, a stated fact, a rolling summary, or lore. */
export type MemoryKind = 'event' | 'fact' | 'summary' | 'card';
export const MEMORY_KINDS: readonly MemoryKind[] = ['event', 'fact', 'summary', 'card'];

/**
 * A story card (lorebook entry): enters the context when a keyword (plain, case-insensitive, or
 * `/regex/flags`) appears in recent text, or when its text is close to the scene.
 */
export interface LoreCard {
  name: string;
  keywords: string[];
  text: string;
  /** Active only while this condition over the ink state holds (shared/card-condition.ts); null or absent: always eligible. */
  when?: string | null;
}

/** A card defined through the API, for a whole story or for one session. */
export interface StoredCard extends LoreCard {
  id: string;
  storyId: string | null;
  sessionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface VariableUpdate {
  name: string;
  value: VariableValue;
}

/** The judge's decision, already validated against the story's offer and declarations. */
export interface Decision {
  choiceIndex: number | null;
  variableUpdates: VariableUpdate[];
  memories: MemoryDraft[];
  summary: string;
}

/** Milliseconds spent per pipeline stage. */
export interface TurnTimings {
  queueWait?: number;
  load: number;
  narrate: number;
  firstToken?: number;
  judge: number;
  apply: number;
  embed: number;
  commit: number;
  publish?: number;
  total: number;
}

/** One model call of a turn and what it cost. */
export interface ModelCallUsage {
  role: 'narrator' | 'judge' | 'judge-repair' | 'judge-fallback';
  /** The call ran on the player's own provider key (bring your own key). */
  byok?: true;
  modelId: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  costUsd?: number;
}

/** The model side of a turn: every call, totals, and how the judge got to its decision. */
export interface TurnUsage {
  /** Some call ran on the player's own key: `byokTokens` of the tokens were theirs, not the server's budget's. */
  byok?: true;
  byokTokens?: number;
  calls: ModelCallUsage[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** The judge's first answer was unusable and a repair request fixed it. */
  judgeRepaired: boolean;
  /** The judge's answer stayed unusable; the offline judge decided. */
  judgeFellBack: boolean;
}

/** The committed result of a turn; keeps the design's `{response, decision, updated_state}` shape. */
export interface TurnResult {
  sessionId: string;
  turnNo: number;
  taskId: string | null;
  input: string;
  action: ActionKind;
  /** Who acted: the user whose action this turn played (absent on the opening). */
  actorId?: string;
  response: string;
  /** The narration as first written, when the player has edited `response` since. */
  originalResponse?: string;
  decision: Decision;
  updated_state: {
    text: string;
    tags: string[];
    choices: Choice[];
    ended: boolean;
    variables: Record<string, VariableValue>;
    position?: string;
  };
  timings: TurnTimings;
  /** Model calls, tokens and cost (absent on the opening, which calls no model). */
  usage?: TurnUsage;
  /** Where the turn stands on the session's timeline; absent means `active`. */
  state?: TurnState;
  /** OpenTelemetry trace id of the attempt that committed the turn (absent when tracing is off). */
  traceId?: string;
  createdAt: string;
}

/** A recent turn, as the narrator sees history. */
export interface HistoryEntry {
  turnNo: number;
  /** Who acted, by name, when a member of a shared session did (the owner's turns carry none). */
  actor?: string | null;
  input: string;
  action: ActionKind;
  response: string;
  storyText: string;
}
