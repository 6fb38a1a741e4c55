/**
 * A player's models: their chosen narrator (settings) and their own provider keys. Keys are
 * opened (AES-256-GCM, bound to the user and provider) only to build the player's model set, which
 * is cached by the sealed values — a replaced or removed key changes the cache key, so the next
 * turn builds anew. A key that does not open (another PROVIDER_KEY_SECRET) is logged by provider
 * only, never by value, and the turn plays on the server's keys.
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { Env } from '../config/env.js';
import { keyContext, type KeySealer } from '../domain/ports/key-sealer.js';
import type { SealedProviderKey } from '../domain/ports/settings-store.js';
import type { ModelPrefs, TurnDeps } from '../domain/turn-deps.js';
import { parseModelChain, type ModelSpec, type ProviderName } from '../llm/model-spec.js';
import { createProviderRegistry, type ProviderRegistry, type ProviderSettings } from '../llm/providers.js';
import type { Logger } from '../shared/log.js';
import type { ChatModel } from '../llm/chat/chat-model.js';
import type { Judge } from '../domain/ports/judge.js';
import type { Narrator } from '../domain/ports/narrator.js';

/** The narrator and judge built over one provider registry (the server's keys, or a player's own). */
export interface ModelSet {
  defaults: { narrator: Narrator; judge: Judge };
  modelsFor(prefs: { narrator?: string; judge?: string }): { narrator: Narrator; judge: Judge };
  /** A fallback chain of chat models over these providers. */
  chain(specs: ModelSpec[], role: 'narrator' | 'judge' | 'summarizer'): ChatModel;
}

export interface OwnerModelsOptions {
  env: Env;
  chains: { narrator: ModelSpec[]; judge: ModelSpec[] };
  /** The server's provider settings, which a player's keys override per provider. */
  providerSettings: ProviderSettings;
  server: ModelSet;
  sealer?: KeySealer | undefined;
  logger: Logger;
  build(registry: ProviderRegistry): ModelSet;
}

type ModelsFor = NonNullable<TurnDeps['modelsFor']>;

/** The chain a role will run for these preferences (what decides whether the player's key is used). */
function chainOf(wanted: string | undefined, fallback: ModelSpec[]): ModelSpec[] {
  if (!wanted) return fallback;
  try {
    return parseModelChain(wanted, 'model');
  } catch {
    return fallback;
  }
}

/** The server's settings with the player's keys in place of the server's, for their providers. */
function ownerSettings(base: ProviderSettings, keys: { provider: SealedProviderKey['provider']; apiKey: string; baseUrl: string | null }[]): ProviderSettings {
  const settings: ProviderSettings = { ...base };
  for (const k of keys) {
    const server = base[k.provider] ?? {};
    settings[k.provider] = { ...server, apiKey: k.apiKey, ...(k.provider === 'compat' && k.baseUrl ? { baseURL: k.baseUrl } : {}) };
  }
  return settings;
}

/** `modelsFor` that applies a player's keys (see the module comment). */
export function createOwnerModels(options: OwnerModelsOptions): { modelsFor: ModelsFor } {
  const { server, sealer, logger, env } = options;
  const sets = new LRUCache<string, ModelSet>({ max: 1000 });
  // Keys that did not open: warned about once, not on every turn.
  const unopened = new LRUCache<string, true>({ max: 1000 });
  const single = env.MODEL_CALL_MODE === 'single';
  const ownerSet = (owner: NonNullable<ModelPrefs['owner']>, keys: readonly SealedProviderKey[]): ModelSet | null => {
    const cacheKey = `${owner.userId}\u0000${keys.map((k) => `${k.provider}:${k.sealed}:${k.baseUrl ?? ''}`).join('\u0000')}`;
    const cached = sets.get(cacheKey);
    if (cached) return cached;
    if (unopened.has(cacheKey)) return null;
    try {
      const opened = keys.map((k) => ({ provider: k.provider, baseUrl: k.baseUrl, apiKey: sealer!.open(k.sealed, keyContext(owner.userId, k.provider)) }));
      const set = options.build(createProviderRegistry(ownerSettings(options.providerSettings, opened)));
      sets.set(cacheKey, set);
      return set;
    } catch {
      unopened.set(cacheKey, true);
      logger.warn({ userId: owner.userId, providers: keys.map((k) => k.provider) }, "a player's provider key does not open with this PROVIDER_KEY_SECRET; using the server's keys");
      return null;
    }
  };
  return {
    modelsFor(prefs) {
      const narratorChain = chainOf(prefs.narrator, options.chains.narrator);
      const judgeChain = single ? narratorChain : chainOf(prefs.judge, options.chains.judge);
      const keyed = new Set<ProviderName>((prefs.owner?.keys ?? []).map((k) => k.provider));
      const byok = { narrator: narratorChain.some((s) => keyed.has(s.provider)), judge: judgeChain.some((s) => keyed.has(s.provider)) };
      // Only the keys the turn's chains use, so an unused key neither opens nor splits the cache.
      const keys = (prefs.owner?.keys ?? []).filter((k) => [...narratorChain, ...judgeChain].some((s) => s.provider === k.provider));
      const set = sealer && prefs.owner && keys.length > 0 ? ownerSet(prefs.owner, keys) : null;
      if (!set) return { ...server.modelsFor(prefs), byok: { narrator: false, judge: false } };
      return { ...set.modelsFor(prefs), byok };
    },
  };
}
