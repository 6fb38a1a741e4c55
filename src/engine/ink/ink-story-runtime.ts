/**
 * One compiled story version, runnable for any session. A single inkjs `Story` object is shared:
 * every call loads the session's state JSON first and serializes it after, and all of it is
 * synchronous, so calls on one Node thread cannot interleave.
 * @module
 */
import { Story } from 'inkjs/compiler/Compiler';
import { DramaError } from '../../domain/errors.js';
import type { StoryOutline, StoryRuntime, StorySnapshot, StoryStep } from '../../domain/ports/story-engine.js';
import type { LoreCard, StoryVersion, StoryView, WritableVariable } from '../../domain/types.js';
import { adoptState, pathExists } from './adopt-state.js';
import { readGlobalTags } from './global-tags.js';
import { declaredVariableNames, readVariables } from './ink-variables.js';
import { readStoryCards } from './story-cards.js';
import { placeOf, readOutline } from './story-outline.js';

/** A story that keeps producing text without ever offering a choice is cut off here. */
const MAX_LINES_PER_STEP = 2_000;
/**
 * ink's own evaluation time per step. A story can loop without producing any text (`-> a` inside
 * knot a); counting lines never catches that, and a synchronous Continue() would block the whole
 * process. ContinueAsync works in slices, so we can stop it.
 */
const MAX_STEP_MS = 2_000;
const SLICE_MS = 50;

/**
 * The control commands that read the story's seed: RANDOM, SEED_RANDOM, LIST_RANDOM and shuffle
 * sequences. In compiled ink they are these bare strings (text is written "^…"); a name that
 * happens to be one of them only turns the opening's reuse off, which is safe.
 */
const RANDOM_COMMANDS = /"(?:rnd|srnd|lrnd|seq)"/;

/**
 * A copy of a reusable opening with a random seed of its own (ink picks 0–99). The seed is
 * replaced in the text, so that nothing else of ink's JSON is rewritten. `"storySeed":` occurs
 * once, as a key of the state's top level: inside a string value its quotes would be escaped.
 */
function reseeded(opening: StorySnapshot): StorySnapshot {
  const state = opening.state.replace(/"storySeed":\d+/, `"storySeed":${Math.floor(Math.random() * 100)}`);
  return { state, view: structuredClone(opening.view) };
}

export class InkStoryRuntime implements StoryRuntime {
  readonly hash: string;
  readonly writableVariables: readonly WritableVariable[];
  readonly narratorGuidance: string | null;
  readonly preferredModels: { narrator?: string; judge?: string };
  readonly #story: Story;
  readonly #variableNames: string[];
  readonly #compiledJson: string;
  #cards: readonly LoreCard[] | undefined;
  #outline: (StoryOutline & { places: ReadonlySet<string> }) | undefined;
  #errors: string[] = [];
  /** The knot or stitch the current step entered last (where a story that ends ended). */
  #lastPlace: string | null = null;
  /** The opening, when the story never draws a random number: every session's is the same. */
  #opening: StorySnapshot | undefined;
  /** Whether it does; looked for on the first start, not on every load (workers load stories only to advance them). */
  #drawsRandomNumbers: boolean | undefined;

  constructor(version: StoryVersion) {
    this.hash = version.hash;
    this.writableVariables = version.writableVariables;
    this.#story = new Story(version.compiledJson);
    // EXTERNAL functions run their ink fallbacks, as in Inky: we bind no game functions. An
    // EXTERNAL without a fallback is refused when the story is compiled (unboundExternals).
    this.#story.allowExternalFunctionFallbacks = true;
    // With onError set, inkjs reports instead of throwing mid-step; we collect and throw once.
    this.#story.onError = (message: string) => {
      this.#errors.push(message);
    };
    this.#variableNames = declaredVariableNames(version.compiledJson);
    const header = readGlobalTags(this.#story);
    this.narratorGuidance = header.narrator;
    this.preferredModels = {
      ...(header.narratorModel ? { narrator: header.narratorModel } : {}),
      ...(header.judgeModel ? { judge: header.judgeModel } : {}),
    };
    this.#compiledJson = version.compiledJson;
    // ink forgets its position at END; note each knot and stitch as the story enters it instead
    // (the outline is read first, so never in the middle of a step).
    void this.outline;
    const visit = this.#story.VisitContainer.bind(this.#story);
    this.#story.VisitContainer = (container, atStart) => {
      this.#lastPlace = placeOf(this.outline, container.path.toString()) ?? this.#lastPlace;
      visit(container, atStart);
    };
  }

  get variableNames(): readonly string[] {
    return this.#variableNames;
  }

  hasPath(path: string): boolean {
    return pathExists(this.#story, path);
  }

  /** Knots and stitches, read on first use. */
  get outline(): StoryOutline & { places: ReadonlySet<string> } {
    if (!this.#outline) {
      const outline = readOutline(this.#story);
      this.#outline = { ...outline, places: new Set([...outline.knots, ...outline.stitches]) };
    }
    return this.#outline;
  }

  /** Cards written in the story (knots tagged `# card:`), read on first use on a separate Story. */
  get cards(): readonly LoreCard[] {
    this.#cards ??= readStoryCards(this.#compiledJson);
    return this.#cards;
  }

  /**
   * A new session's state and view. Ink starts every session the same way but for its random
   * seed, so for a story that never draws a random number the opening is run once per process
   * and each later start is a copy with a seed of its own, as ink would have chosen one (a
   * session start ran the opening in 0.3–0.5 ms warm and 1.3–1.8 ms in a fresh process).
   */
  start(): StorySnapshot {
    if (this.#opening) return reseeded(this.#opening);
    const snapshot = this.#run(() => {
      this.#story.ResetState();
      const opening = this.#continue();
      // ink reports the file's global tags (title, writable…) as tags of the first line.
      const header = this.#story.globalTags ?? [];
      return { text: opening.text, tags: opening.tags.slice(opening.tags.slice(0, header.length).every((t, i) => t === header[i]) ? header.length : 0) };
    });
    this.#drawsRandomNumbers ??= RANDOM_COMMANDS.test(this.#compiledJson);
    if (this.#drawsRandomNumbers) return snapshot;
    this.#opening = snapshot;
    return reseeded(snapshot);
  }

  advance(state: string, step: StoryStep): StorySnapshot {
    return this.#run(() => {
      this.#story.state.LoadJson(state);
      for (const update of step.variableUpdates) {
        if (!this.writableVariables.some((w) => w.name === update.name)) {
          throw new DramaError('ink_runtime_error', `variable "${update.name}" is not writable`);
        }
        this.#story.variablesState.$(update.name, update.value);
      }
      if (step.choiceIndex !== null) {
        if (!this.#story.currentChoices.some((c) => c.index === step.choiceIndex)) {
          throw new DramaError('ink_runtime_error', `choice ${step.choiceIndex} is not on offer`);
        }
        this.#story.ChooseChoiceIndex(step.choiceIndex);
        return this.#continue();
      }
      // No choice taken: the passage stays; only variables may have changed.
      return { text: '', tags: [] };
    });
  }

  /**
   * A state saved by another version of this story, carried here (see adopt-state.ts): the same
   * position, variables and visit counts, the view as it stood. Throws `upgrade_incompatible` with
   * the missing positions when this version lacks where the state stands.
   */
  adopt(state: string, previousView: StoryView): StorySnapshot {
    const adopted = adoptState(this.#story, state);
    if (adopted.state === null) {
      throw new DramaError('upgrade_incompatible', `This version of the story no longer has where the session stands: ${adopted.missing.join(', ')}`, {
        details: { missing_paths: adopted.missing },
      });
    }
    const snapshot = this.#run(() => {
      this.#story.state.LoadJson(adopted.state);
      return { text: previousView.text, tags: previousView.tags };
    });
    return snapshot;
  }

  /** The view of a saved state; `text` is empty because no new text is produced. */
  view(state: string): StoryView {
    return this.#run(() => {
      this.#story.state.LoadJson(state);
      return { text: '', tags: [] };
    }).view;
  }

  #continue(): { text: string; tags: string[] } {
    const lines: string[] = [];
    const tags: string[] = [];
    // Continue line by line: ContinueMaximally keeps only the last line's tags.
    while (this.#story.canContinue) {
      if (lines.length >= MAX_LINES_PER_STEP) {
        throw new DramaError('ink_runtime_error', `story produced over ${MAX_LINES_PER_STEP} lines without a choice`);
      }
      const line = this.#continueOneLine();
      if (this.#errors.length > 0) break;
      lines.push(line);
      tags.push(...(this.#story.currentTags ?? []));
    }
    return { text: lines.join('').trim(), tags };
  }

  #stepDeadline = 0;

  #continueOneLine(): string {
    this.#story.ContinueAsync(SLICE_MS);
    while (!this.#story.asyncContinueComplete) {
      if (performance.now() > this.#stepDeadline) {
        throw new DramaError('ink_runtime_error', `the story ran for over ${MAX_STEP_MS} ms without producing text or a choice (an endless loop?)`);
      }
      this.#story.ContinueAsync(SLICE_MS);
    }
    return this.#story.currentText ?? '';
  }

  #run(step: () => { text: string; tags: string[] }): StorySnapshot {
    this.#stepDeadline = performance.now() + MAX_STEP_MS;
    this.#errors = [];
    this.#lastPlace = null;
    let produced: { text: string; tags: string[] };
    try {
      produced = step();
    } catch (err) {
      if (err instanceof DramaError) throw err;
      throw new DramaError('ink_runtime_error', err instanceof Error ? err.message : String(err), { cause: err });
    }
    if (this.#errors.length > 0) {
      throw new DramaError('ink_runtime_error', this.#errors.join('; '), { details: this.#errors });
    }
    const choices = this.#story.currentChoices.map((c) => ({ index: c.index, text: c.text, tags: c.tags ?? [] }));
    const ended = choices.length === 0 && !this.#story.canContinue;
    const position = ended ? this.#lastPlace : placeOf(this.outline, this.#story.currentChoices[0]?.sourcePath);
    const view: StoryView = {
      text: produced.text,
      tags: produced.tags,
      choices,
      ended,
      variables: readVariables(this.#story, this.#variableNames),
      ...(position ? { position } : {}),
    };
    return { state: this.#story.state.ToJson(), view };
  }
}
