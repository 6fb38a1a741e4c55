/**
 * Players' settings and provider keys for a process: the operator's model list (ALLOWED_MODELS,
 * checked at start) and the sealer of keys (PROVIDER_KEY_SECRET; absent = keys refused with 501).
 * @module
 */
import type { Env } from '../config/env.js';
import type { KeySealer } from '../domain/ports/key-sealer.js';
import type { Store } from '../domain/ports/store.js';
import { SettingsService } from '../domain/settings-service.js';
import { formatModelSpec, parseModelChain } from '../llm/model-spec.js';
import { createSecretBox, parseSecretKey } from '../shared/secret-box.js';

/** ALLOWED_MODELS as `provider:model` specs (spaces trimmed, duplicates dropped); throws `config_invalid`. */
export function allowedModels(env: Env): string[] {
  if (!env.ALLOWED_MODELS) return [];
  return [...new Set(parseModelChain(env.ALLOWED_MODELS, 'ALLOWED_MODELS').map(formatModelSpec))];
}

/** The sealer of players' keys, when PROVIDER_KEY_SECRET is set (env.ts has checked it is 32 bytes). */
export function keySealer(env: Env): KeySealer | undefined {
  const key = env.PROVIDER_KEY_SECRET ? parseSecretKey(env.PROVIDER_KEY_SECRET) : null;
  return key ? createSecretBox(key) : undefined;
}

export function createSettingsService(env: Env, store: Store, sealer: KeySealer | undefined): SettingsService {
  return new SettingsService({ store: store.settings, allowedModels: allowedModels(env), ...(sealer ? { sealer } : {}) });
}
