/**
 * The narrator, judge and embedder of a process, from configuration. Without any model
 * configured these are the offline models, run through the same AI SDK calls a real provider gets.
 * @module
 */
import type { Env } from '../config/env.js';
import type { Summarizer } from '../domain/ports/summarizer.js';
import type { Embedder } from '../domain/ports/embedder.js';
import type { Judge } from '../domain/ports/judge.js';
import type { Narrator } from '../domain/ports/narrator.js';
import type { Logger } from '../shared/log.js';
import { BatchingEmbedder } from '../llm/batching-embedder.js';
import type { ChatModel } from '../llm/chat/chat-model.js';
import { createCallLimit, limitConcurrency } from '../llm/concurrency-limit.js';
import { withRetries } from '../llm/retrying-model.js';
import { createEmbedder } from '../llm/embedder.js';
import { createFallbackModel } from '../llm/fallback-model.js';
import { createJudge } from '../llm/judge.js';
import { formatModelSpec, parseModelChain, type ModelSpec, type ProviderName } from '../llm/model-spec.js';
import { createNarrator } from '../llm/narrator.js';
import { createSingleCallModels } from '../llm/single-call.js';
import { observeEmbedder, observeModel, type ObservedOutcome } from '../llm/observed-model.js';
import { createProviderRegistry, embeddingModelFor, type ProviderRegistry, type ProviderSettings } from '../llm/providers.js';
import type { KeySealer } from '../domain/ports/key-sealer.js';
import type { TurnDeps } from '../domain/turn-deps.js';
import { createOwnerModels, type ModelSet } from './owner-models.js';
import { createModelSummarizer } from '../llm/summarizer.js';
import { createExtractiveSummarizer } from '../memory/extractive-summarizer.js';
import { tracesUrl } from '../observability/tracing.js';

/** Told about every model call (for metrics); `role` is the chain the call went through. */
export type ModelCallListener = (call: { provider: ProviderName; model: string; role: 'narrator' | 'judge' | 'judge-fallback' | 'summarizer' | 'embedder'; outcome: ObservedOutcome; ms: number }) => void;

/** The vector size the memory index is built for. */
export const EMBEDDING_DIMENSIONS = 256;

export interface Models {
  narrator: Narrator;
  judge: Judge;
  embedder: Embedder;
  /** Folds older turns into the rolling summary: the narrator's model, or extractive offline. */
  summarizer: Summarizer;
  /** Decides when the configured judge's output stays unusable after a repair; absent = fail the turn. */
  fallbackJudge?: Judge;
  /** What was configured, for logs and traces. */
  chains: { narrator: ModelSpec[]; judge: ModelSpec[]; embedder: ModelSpec };
  /** The narrator and judge for a story or player that names its own models, on the player's own keys (built once per chain and key set). */
  modelsFor: NonNullable<TurnDeps['modelsFor']>;
}

/** The providers as the operator configured them (a player's own keys override these per turn). */
export function serverProviderSettings(env: Env): ProviderSettings {
  return {
    openai: { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL },
    anthropic: { apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL },
    compat: { apiKey: env.COMPAT_API_KEY, baseURL: env.COMPAT_BASE_URL },
    offline: { chunkDelayMs: env.OFFLINE_CHUNK_DELAY_MS, latencyMs: env.OFFLINE_LATENCY_MS },
  };
}

function defaultChain(env: Env, role: 'narrator' | 'judge'): string {
  if (env.OPENAI_API_KEY) return 'openai:gpt-4o-mini';
  if (env.ANTHROPIC_API_KEY) return 'anthropic:claude-3-5-haiku-latest';
  return `offline:offline-${role}`;
}

export function resolveChains(env: Env): Models['chains'] {
  const embedding = parseModelChain(env.EMBEDDING_MODEL ?? 'offline:offline-embedding', 'EMBEDDING_MODEL');
  return {
    narrator: parseModelChain(env.NARRATOR_MODEL ?? defaultChain(env, 'narrator'), 'NARRATOR_MODEL'),
    judge: parseModelChain(env.JUDGE_MODEL ?? defaultChain(env, 'judge'), 'JUDGE_MODEL'),
    embedder: embedding[0]!,
  };
}

/** The judge that decides when the configured one's answers stay unusable (JUDGE_FALLBACK=offline). */
export const OFFLINE_FALLBACK_JUDGE: ModelSpec = { provider: 'offline', modelId: 'offline-judge' };

/** Remote embedders batch; the offline one is local code, where waiting for a batch only adds latency. */
function batched(embedder: Embedder, env: Env, provider: ProviderName): Embedder {
  if (provider === 'offline' || env.EMBED_BATCH_WINDOW_MS === 0) return embedder;
  return new BatchingEmbedder(embedder, { windowMs: env.EMBED_BATCH_WINDOW_MS, maxBatch: 128 });
}

export function createModelSet(env: Env, registry: ProviderRegistry, chains: Models['chains'], logger: Logger, onCall?: ModelCallListener): ModelSet {
  const callLimits = new Map<ProviderName, ReturnType<typeof createCallLimit>>();
  // Model calls become spans (AI SDK telemetry) only while traces are exported.
  const traceAs = (functionId: string) => (tracesUrl(env) ? { traceAs: functionId } : {});
  // Each model of a chain: a slot of its provider's concurrency limit, then its own retries
  // (so a 429 waits for the same model before the chain moves on).
  const limited = (spec: ModelSpec): ChatModel => {
    const model = registry(spec.provider).language(spec.modelId);
    if (spec.provider === 'offline') return model;
    let limit = callLimits.get(spec.provider);
    if (!limit) callLimits.set(spec.provider, (limit = createCallLimit(env.MODEL_CONCURRENCY)));
    return withRetries(limitConcurrency(model, limit), { maxRetries: env.MODEL_MAX_RETRIES });
  };
  const observed = (model: ChatModel, spec: ModelSpec, role: Parameters<ModelCallListener>[0]['role']): ChatModel =>
    onCall ? observeModel(model, (outcome, ms) => onCall({ provider: spec.provider, model: spec.modelId, role, outcome, ms })) : model;
  const chain = (specs: ModelSpec[], role: 'narrator' | 'judge' | 'summarizer') =>
    createFallbackModel(specs.map((spec) => observed(limited(spec), spec, role)), (from, to, err) => logger.warn({ role, from, to, err: err instanceof Error ? err.message : String(err) }, 'model failed; falling back'));

  const narratorOn = (specs: ModelSpec[]) =>
    createNarrator({
      model: chain(specs, 'narrator'),
      firstTokenTimeoutMs: env.NARRATOR_FIRST_TOKEN_TIMEOUT_MS,
      contextBudgetTokens: env.NARRATOR_CONTEXT_TOKENS,
      timeoutMs: env.NARRATOR_TIMEOUT_MS,
      ...traceAs('narrator'),
    });
  const judgeOn = (specs: ModelSpec[]) =>
    createJudge({ model: chain(specs, 'judge'), timeoutMs: env.JUDGE_TIMEOUT_MS, contextBudgetTokens: env.JUDGE_CONTEXT_TOKENS, ...traceAs('judge') });
  const singleCallOn = (specs: ModelSpec[]) =>
    createSingleCallModels({
      model: chain(specs, 'narrator'),
      firstTokenTimeoutMs: env.NARRATOR_FIRST_TOKEN_TIMEOUT_MS,
      contextBudgetTokens: env.NARRATOR_CONTEXT_TOKENS,
      timeoutMs: env.NARRATOR_TIMEOUT_MS,
      judgeTimeoutMs: env.JUDGE_TIMEOUT_MS,
    });
  // A story's narrator and judge must come from the same single call: one pair per chain.
  const pairs = new Map<string, ReturnType<typeof singleCallOn>>();
  const singleCallPairs = (specs: ModelSpec[]) => {
    const key = specs.map(formatModelSpec).join(',');
    let pair = pairs.get(key);
    if (!pair) pairs.set(key, (pair = singleCallOn(specs)));
    return pair;
  };
  // Single-call mode: the narrator's chain writes both; JUDGE_MODEL is not used.
  const defaults = env.MODEL_CALL_MODE === 'single' ? singleCallPairs(chains.narrator) : { narrator: narratorOn(chains.narrator), judge: judgeOn(chains.judge) };
  const preferred = new Map<string, Narrator | Judge | null>();
  // A story's preferred chain, if every provider in it is configured here; else the defaults
  // (an author's wish must not break a deployment that has no key for that provider).
  const pick = <T extends Narrator | Judge>(role: 'narrator' | 'judge', wanted: string | undefined, build: (s: ModelSpec[]) => T, fallback: T): T => {
    if (!wanted) return fallback;
    const key = `${role}|${wanted}`;
    if (!preferred.has(key)) {
      try {
        preferred.set(key, build(parseModelChain(wanted, `${role}_model tag`)));
      } catch (err) {
        logger.warn({ role, wanted, err: err instanceof Error ? err.message : String(err) }, "preferred model (the story's or the player's) is not available here; using the default");
        preferred.set(key, null);
      }
    }
    return (preferred.get(key) as T | null) ?? fallback;
  };
  const modelsFor = (prefs: { narrator?: string; judge?: string }) => {
    if (env.MODEL_CALL_MODE === 'single') {
      // One call, one model: the preferred narrator writes the decision too.
      const narrator = pick('narrator', prefs.narrator, (specs) => singleCallPairs(specs).narrator, defaults.narrator);
      return narrator === defaults.narrator ? defaults : singleCallPairs(parseModelChain(prefs.narrator!, 'narrator_model tag'));
    }
    return { narrator: pick('narrator', prefs.narrator, narratorOn, defaults.narrator), judge: pick('judge', prefs.judge, judgeOn, defaults.judge) };
  };
  return { defaults, modelsFor, chain };
}

/** The server's models, with a player's chosen narrator and own keys applied per turn (owner-models.ts). */
export function createModels(env: Env, logger: Logger, onCall?: ModelCallListener, sealer?: KeySealer): Models {
  const chains = resolveChains(env);
  const providerSettings = serverProviderSettings(env);
  const registry = createProviderRegistry(providerSettings);
  const set = createModelSet(env, registry, chains, logger, onCall);
  const owners = createOwnerModels({ env, chains, providerSettings, server: set, sealer, logger, build: (r) => createModelSet(env, r, chains, logger, onCall) });
  const traceAs = (functionId: string) => (tracesUrl(env) ? { traceAs: functionId } : {});
  const observed = (model: ChatModel): ChatModel =>
    onCall ? observeModel(model, (outcome, ms) => onCall({ provider: 'offline', model: OFFLINE_FALLBACK_JUDGE.modelId, role: 'judge-fallback', outcome, ms })) : model;
  // Inside the batching: one observed call per request the provider gets.
  const observedEmbedder = (embedder: Embedder): Embedder =>
    onCall ? observeEmbedder(embedder, (outcome, ms) => onCall({ provider: chains.embedder.provider, model: chains.embedder.modelId, role: 'embedder', outcome, ms })) : embedder;
  const offlineOnly = (specs: ModelSpec[]) => specs.every((s) => s.provider === 'offline');
  const dimensionsOption = chains.embedder.provider === 'openai' ? { openai: { dimensions: EMBEDDING_DIMENSIONS } } : undefined;
  const models: Models = {
    ...set.defaults,
    modelsFor: owners.modelsFor,
    embedder: batched(observedEmbedder(createEmbedder({ model: embeddingModelFor(registry, chains.embedder), dimensions: EMBEDDING_DIMENSIONS, providerOptions: dimensionsOption, inProcess: chains.embedder.provider === 'offline', ...traceAs('embedder') })), env, chains.embedder.provider),
    summarizer: offlineOnly(chains.narrator)
      ? createExtractiveSummarizer()
      : createModelSummarizer({ model: set.chain(chains.narrator, 'narrator'), timeoutMs: env.NARRATOR_TIMEOUT_MS || 60_000, ...traceAs('summarizer') }),
    chains,
  };
  if (!offlineOnly(chains.judge) && env.JUDGE_FALLBACK === 'offline') {
    models.fallbackJudge = createJudge({ model: observed(registry('offline').language('offline-judge')), ...traceAs('judge-fallback') });
  }
  const names = { narrator: chains.narrator.map(formatModelSpec), judge: chains.judge.map(formatModelSpec), embedder: formatModelSpec(chains.embedder) };
  if (offlineOnly(chains.narrator) && offlineOnly(chains.judge)) {
    logger.info(names, 'no model provider configured: using the offline narrator, judge and embedder (deterministic, no API key)');
  } else {
    logger.info({ ...names, judgeFallback: env.JUDGE_FALLBACK, concurrencyPerProvider: env.MODEL_CONCURRENCY }, 'models configured');
  }
  return models;
}
