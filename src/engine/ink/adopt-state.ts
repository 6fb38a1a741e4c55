/**
 * Carrying a session's ink state to another version of its story. ink saves positions as paths
 * into the compiled story ("harbour.pier.0.c-1"); a position the new version no longer has cannot
 * be resumed, so such states are refused with the paths that are missing. Visit counts and turn
 * indices of knots that are gone are dropped; variables are ink's own business (LoadJson keeps the
 * saved values of variables the new version still declares and gives new ones their defaults).
 * @module
 */
import type { Story } from 'inkjs/compiler/Compiler';
import { Path } from 'inkjs/engine/Path';

interface SavedThread {
  callstack?: { cPath?: string }[];
  previousContentObject?: string;
}

interface SavedFlow {
  callstack?: { threads?: SavedThread[] };
  choiceThreads?: Record<string, SavedThread>;
  currentChoices?: { targetPath?: string; originalChoicePath?: string }[];
}

interface SavedState {
  flows?: Record<string, SavedFlow>;
  visitCounts?: Record<string, number>;
  turnIndices?: Record<string, number>;
}

/** Whether the story has content at exactly this path (not a nearest match). */
export function pathExists(story: Story, path: string): boolean {
  const found = story.ContentAtPath(new Path(path));
  return found.obj !== null && !found.approximate;
}

/** Every position the saved state would resume at: call stacks, threads of choices, the choices' targets. */
function positions(state: SavedState): string[] {
  const out: string[] = [];
  const thread = (t: SavedThread) => {
    for (const frame of t.callstack ?? []) if (frame.cPath) out.push(frame.cPath);
    if (t.previousContentObject) out.push(t.previousContentObject);
  };
  for (const flow of Object.values(state.flows ?? {})) {
    for (const t of flow.callstack?.threads ?? []) thread(t);
    for (const t of Object.values(flow.choiceThreads ?? {})) thread(t);
    for (const c of flow.currentChoices ?? []) {
      if (c.targetPath) out.push(c.targetPath);
      if (c.originalChoicePath) out.push(c.originalChoicePath);
    }
  }
  return [...new Set(out)];
}

/**
 * The saved state, made loadable into `story` (another version): `missing` lists the positions
 * the story lacks (then nothing is loadable); otherwise `state` is the JSON to load.
 */
export function adoptState(story: Story, savedJson: string): { state: string; missing: [] } | { state: null; missing: string[] } {
  const saved = JSON.parse(savedJson) as SavedState;
  const missing = positions(saved).filter((p) => !pathExists(story, p));
  if (missing.length > 0) return { state: null, missing };
  for (const counts of [saved.visitCounts, saved.turnIndices]) {
    for (const path of Object.keys(counts ?? {})) if (!pathExists(story, path)) delete counts![path];
  }
  return { state: JSON.stringify(saved), missing: [] };
}
