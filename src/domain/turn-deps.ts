import type { Clock } from './ports/clock.js';
import type { EventBus } from './ports/event-bus.js';
import type { LongTermMemory } from './ports/memory.js';
import type { Embedder } from './ports/embedder.js';
import type { Judge } from './ports/judge.js';
import type { Narrator } from './ports/narrator.js';
import type { SessionHeads } from './ports/session-heads.js';
import type { SealedProviderKey } from './ports/settings-store.js';
import type { Store } from './ports/store.js';
import type { StoryEngine } from './ports/story-engine.js';
import type { TurnTracer } from './ports/turn-tracer.js';
import type { Logger } from '../shared/log.js';
import type { PriceTable } from './pricing.js';


/** What a turn asks of {@link TurnDeps.modelsFor}: `provider:model` chains, and the owner's keys. */
export interface ModelPrefs {
  narrator?: string;
  judge?: string;
  owner?: { userId: string; keys: readonly SealedProviderKey[] };
}

export interface TurnSettings {
  /** Recent turns given to the narrator. */
  historyTurns: number;
  /** Memories retrieved per turn. */
  memoryTopK: number;
  /** Narration deltas after the first are published at most this often (ms; 0 = each one). */
  narrationFlushMs?: number;
  /** Prices per million tokens by model id, for each turn's cost. */
  prices?: PriceTable;
  /** The running code's version, recorded with each turn for replay. */
  codeVersion?: string;
  /** Record each turn for replay (TURN_RECORDING; default on). */
  record?: boolean;
}

/** The resource bag every domain service receives; only `runtime/` knows the concrete classes. */
export interface TurnDeps {
  store: Store;
  engine: StoryEngine;
  narrator: Narrator;
  judge: Judge;
  /** Decides when the judge's answer stays unusable after a repair; absent = the turn fails. */
  fallbackJudge?: Judge;
  /**
   * The narrator and judge for a story that names its own models, or for a player who chose a
   * narrator model or brought their own keys (`owner`); absent = always the defaults. `byok` says
   * which of the two run on the owner's key.
   */
  modelsFor?(prefs: ModelPrefs): { narrator: Narrator; judge: Judge; byok?: { narrator: boolean; judge: boolean } };
  embedder: Embedder;
  /**
   * Long-term memory (scored recall, story cards, rolling summaries). Absent: the turn recalls
   * the `memoryTopK` memories most similar to the input, and nothing else.
   */
  memory?: LongTermMemory;
  bus: EventBus;
  /**
   * Distributed: what every process knows about a session without the database (its owner, that
   * it plays alone), so an action on it reads nothing; absent = every action reads its session.
   */
  heads?: SessionHeads;
  clock: Clock;
  logger: Logger;
  /** Shows the pipeline's stages to a tracer (OpenTelemetry); absent = not traced. */
  tracer?: TurnTracer;
  settings: TurnSettings;
}
