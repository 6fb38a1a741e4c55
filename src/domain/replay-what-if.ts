/**
 * What-if replays: the recorded inputs of a session's turns played again on another story version
 * and/or with today's models instead of the recordings, one turn after the other from the state
 * the previous replayed turn left. The answer is a per-turn diff against what really happened:
 * the choice taken, the variables changed and the passage text. Nothing is written.
 * @module
 */
import type { StoryRuntime } from './ports/story-engine.js';
import { recordedRoles, rerunTurn } from './replay.js';
import type { RecordedOutcome, TurnRecording } from './turn-recording.js';
import type { TurnDeps } from './turn-deps.js';
import type { StoryView, VariableValue } from './types.js';

export interface WhatIfTurn {
  turn: number;
  /** The text of the choice taken (null: none). */
  choice: { recorded: string | null; replayed: string | null };
  /** Variables whose value after the turn differs between the two runs. */
  variables: { name: string; recorded: VariableValue | null; replayed: VariableValue | null }[];
  passage: { recorded: string; replayed: string };
  differs: boolean;
  /** Why the turn could not be played on the replay (then the replay stops there). */
  error?: string;
}

export interface WhatIfReport {
  turns: number;
  story_version: string;
  live: boolean;
  /** The first turn whose choice, variables or passage differ; null when none does. */
  first_difference: number | null;
  diff: WhatIfTurn[];
}

type Roles = Pick<TurnDeps, 'narrator' | 'judge' | 'fallbackJudge' | 'embedder'>;

function choiceText(view: StoryView, index: number | null): string | null {
  return index === null ? null : (view.choices.find((c) => c.index === index)?.text ?? null);
}

function turnDiff(rec: TurnRecording, before: StoryView, replayed: RecordedOutcome): WhatIfTurn {
  const recorded = rec.outcome;
  const names = [...new Set([...Object.keys(recorded.view.variables), ...Object.keys(replayed.view.variables)])].sort();
  const variables = names
    .filter((n) => JSON.stringify(recorded.view.variables[n]) !== JSON.stringify(replayed.view.variables[n]))
    .map((name) => ({ name, recorded: recorded.view.variables[name] ?? null, replayed: replayed.view.variables[name] ?? null }));
  const choice = { recorded: choiceText(rec.before.view, recorded.decision.choiceIndex), replayed: choiceText(before, replayed.decision.choiceIndex) };
  const passage = { recorded: recorded.view.text, replayed: replayed.view.text };
  return { turn: rec.turnNo, choice, variables, passage, differs: choice.recorded !== choice.replayed || variables.length > 0 || passage.recorded !== passage.replayed };
}

function failed(rec: TurnRecording, err: unknown): WhatIfTurn {
  const message = err instanceof Error ? err.message : String(err);
  const text = rec.outcome.view.text;
  return { turn: rec.turnNo, choice: { recorded: choiceText(rec.before.view, rec.outcome.decision.choiceIndex), replayed: null }, variables: [], passage: { recorded: text, replayed: '' }, differs: true, error: message };
}

/**
 * Play `recordings` again on `runtime`, with `live` models when given (else the recorded answers).
 * The first turn starts from its recorded state carried over to `runtime` (as an upgrade does).
 */
export async function replayWhatIf(recordings: TurnRecording[], runtime: StoryRuntime, live?: Roles): Promise<WhatIfReport> {
  const diff: WhatIfTurn[] = [];
  const first = recordings[0];
  let before: TurnRecording['before'] | undefined;
  for (const rec of recordings) {
    try {
      if (!before) {
        const adopted = runtime.adopt(first!.before.inkState, first!.before.view);
        before = { ...first!.before, inkState: adopted.state, view: adopted.view };
      }
      const replayed = await rerunTurn(rec, runtime, live ?? recordedRoles(rec), before);
      diff.push(turnDiff(rec, before.view, replayed));
      before = { inkState: replayed.inkState, view: replayed.view, turnNo: rec.turnNo, seed: null };
    } catch (err) {
      diff.push(failed(rec, err));
      break;
    }
  }
  return { turns: recordings.length, story_version: runtime.hash, live: live !== undefined, first_difference: diff.find((d) => d.differs)?.turn ?? null, diff };
}
