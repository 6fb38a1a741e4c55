import type { ActionKind, Choice, HistoryEntry, StoredMemory, VariableValue, WritableVariable } from '../types.js';

/** Everything the models may see about the story at this turn. */
export interface TurnContext {
  storyTitle: string;
  /** The author's guidance for the narrator (`# narrator:` in the ink file). */
  storyInstructions?: string;
  /** The ink text the player is looking at (produced by the previous turn or the opening). */
  storyText: string;
  choices: Choice[];
  variables: Record<string, VariableValue>;
  writableVariables: readonly WritableVariable[];
  memories: StoredMemory[];
  history: HistoryEntry[];
  input: string;
  action: ActionKind;
  /** Who acts this turn, by name, when a member of a shared session does (not its owner). */
  actorName?: string;
  /**
   * Story cards (lore entries). The context builder includes a card when one of its keywords
   * (case-insensitive, or `/regex/flags`) appears in the input, the story text or the last turn,
   * or when long-term memory found it close to the scene (`similarity` set).
   */
  cards?: { name: string; keywords: string[]; text: string; similarity?: number; conditional?: boolean }[];
  /** Rolling summary of the story so far (older than `history`). */
  summary?: string;
  /** Who the player is (the session's persona), for the narrator. */
  persona?: { name: string; description: string };
  /** The player's own standing instructions for the narrator; below the rules and the author's guidance. */
  playerInstructions?: string;
  /** The author's note: direction for the narrator, placed `depth` history entries from the newest. */
  authorNote?: { text: string; depth?: number };
}

/** Which model answered and what it cost; token counts when the provider reports them. */
export interface ModelCallInfo {
  modelId: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedInputTokens?: number;
  /**
   * The context trace of the call: the exact messages sent (AI SDK `ModelMessage[]`), token
   * estimates per prompt section (stable first, volatile last) and in total.
   */
  request?: { messages: unknown; sections: { name: string; tokens: number; trimmed: boolean }[]; totalTokens: number };
}

/**
 * Writes the next passage. Streaming is the contract: `onText` gets each delta, in order, as the
 * model writes it, and callers forward it at once. Resolves once the passage is complete.
 */
export interface Narrator {
  narrate(context: TurnContext, opts: { signal?: AbortSignal; onText: (delta: string) => void; tuning?: NarrationTuning }): Promise<ModelCallInfo>;
}

/** A player's settings for their passages (settings-service.ts): each absent = the narrator's own. */
export interface NarrationTuning {
  temperature?: number;
  maxOutputTokens?: number;
  /** A line for the narrator's instructions about length, e.g. "keep each passage short…". */
  lengthNote?: string;
}
