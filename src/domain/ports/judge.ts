import type { ModelCallInfo, TurnContext } from './narrator.js';

/**
 * Decides what happened in story terms. Returns the model's raw object: the domain validates it
 * against the story (offered choices, writable variables) before anything is applied.
 */
export interface Judge {
  judge(context: TurnContext, narration: string, opts?: { signal?: AbortSignal; repair?: JudgeRepair }): Promise<{ raw: unknown; info: ModelCallInfo }>;
}

/** A second chance: the judge's rejected answer and why it was rejected. */
export interface JudgeRepair {
  previous: unknown;
  problems: { path: string; message: string }[];
}
