import type { Choice, InkDiagnostic, InkFiles, LoreCard, StoryVersion, StoryView, VariableUpdate, WritableVariable } from '../types.js';

export type CompileOutput =
  | { ok: true; compiledJson: string; hash: string; title: string | null; writableVariables: WritableVariable[]; warnings: InkDiagnostic[] }
  | { ok: false; errors: InkDiagnostic[]; unboundExternals?: UnboundExternal[] };

/** An `EXTERNAL` function the story calls that has no ink fallback: nothing could run it. */
export interface UnboundExternal {
  name: string;
  /** Where it is declared (0: not found in the source). */
  line: number;
  file?: string;
}

/** The state of a story after some steps: ink's serialized state plus what the player sees. */
export interface StorySnapshot {
  state: string;
  view: StoryView;
}

/** One step decided by the judge: an offered choice (or none) and variable writes. */
export interface StoryStep {
  choiceIndex: number | null;
  variableUpdates: VariableUpdate[];
}

/** A story's places: every knot, and every stitch as `knot.stitch` (no functions, no card knots). */
export interface StoryOutline {
  knots: string[];
  stitches: string[];
}

/** A loaded, runnable story version. Stateless between calls: state goes in and comes out as JSON. */
export interface StoryRuntime {
  readonly hash: string;
  readonly writableVariables: readonly WritableVariable[];
  /** The author's `# narrator:` guidance for the narrating model, if the story has one. */
  readonly narratorGuidance: string | null;
  /** Models the author asks for (`# narrator_model:`, `# judge_model:`), as provider:model chains. */
  readonly preferredModels: { narrator?: string; judge?: string };
  /** Every variable the story declares. */
  readonly variableNames: readonly string[];
  /** Whether the story has a knot or stitch at this path ("tower", "tower.top"). */
  hasPath(path: string): boolean;
  /** The story's knots and stitches, for coverage (which places play reached). */
  readonly outline: StoryOutline;
  /** Story cards written in the story itself (knots tagged `# card: Name`). */
  readonly cards: readonly LoreCard[];
  /** Run the opening (ContinueMaximally from the top). */
  start(): StorySnapshot;
  /**
   * Apply variable updates, then the choice (if any), then ContinueMaximally.
   * Throws `ink_runtime_error` if ink fails; a choice not on offer is a caller bug and throws too.
   */
  advance(state: string, step: StoryStep): StorySnapshot;
  /**
   * Carry a state saved by another version of the story to this one (same position, variables,
   * visit counts; the passage shown stays `previousView`'s). Throws `upgrade_incompatible` with
   * `details.missing_paths` when this version lacks the position.
   */
  adopt(state: string, previousView: StoryView): StorySnapshot;
  /** Re-read the view for a saved state without changing it. */
  view(state: string): StoryView;
}

/**
 * Compiles ink source and opens compiled versions. Implementations cache opened runtimes
 * (LRU), because building an inkjs Story from JSON costs milliseconds per turn otherwise.
 */
export interface StoryEngine {
  /** The compiler's identity (its version and ours): what `compile` makes of a source depends only on the two. */
  readonly compilerId: string;
  /**
   * Compile ink source; bad ink resolves with the diagnostics. An `untrusted` source (an upload)
   * compiles off the event loop and is stopped after a time limit: then it rejects with
   * `compile_timeout`.
   */
  compile(source: string | InkFiles, opts?: { untrusted?: boolean }): Promise<CompileOutput>;
  /** Load a version (or return the cached runtime). */
  open(version: StoryVersion): StoryRuntime;
  /** The cached runtime for a version, if this process has it loaded; saves a database read. */
  cached(storyId: string, hash: string): StoryRuntime | undefined;
}

export type { Choice };

export type { InkFiles };
