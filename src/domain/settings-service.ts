/**
 * A user's own settings (`/api/me/settings`) and provider keys (`/api/me/provider-keys`): the
 * narrator model from the operator's list, temperature, passage length, interface language, and
 * keys sealed at rest (see ports/key-sealer.ts). What a turn does with them is in owner-models.ts.
 * @module
 */
import { DramaError } from './errors.js';
import { keyContext, type KeySealer } from './ports/key-sealer.js';
import type { KeyProvider, PassageLength, SealedProviderKey, SettingsStore, UserSettings } from './ports/settings-store.js';

/** What each passage length asks of the narrator: an output cap and a line in its instructions. */
export const PASSAGE_PRESETS: Record<PassageLength, { maxOutputTokens: number; note?: string }> = {
  short: { maxOutputTokens: 220, note: 'keep each passage short: one paragraph of about 60 to 100 words' },
  medium: { maxOutputTokens: 400 },
  long: { maxOutputTokens: 900, note: 'write fuller passages: three or four paragraphs of about 250 to 350 words' },
};

export const NO_SETTINGS: UserSettings = { narratorModel: null, temperature: null, passageLength: null, language: null };

/** The masked form of a key its owner sees: its first three and last four characters. */
export function keyHint(key: string): string {
  return key.length >= 12 ? `${key.slice(0, 3)}…${key.slice(-4)}` : `…${key.slice(-2)}`;
}

export interface SettingsServiceOptions {
  store: SettingsStore;
  /** `provider:model` specs users may choose (ALLOWED_MODELS), in the operator's order. */
  allowedModels: readonly string[];
  /** Absent: PROVIDER_KEY_SECRET is not configured and provider keys are refused (501). */
  sealer?: KeySealer;
}

export class SettingsService {
  constructor(private readonly options: SettingsServiceOptions) {}

  get allowedModels(): readonly string[] {
    return this.options.allowedModels;
  }

  /** Whether provider keys can be stored (PROVIDER_KEY_SECRET is set). */
  get keysEnabled(): boolean {
    return this.options.sealer !== undefined;
  }

  async get(userId: string): Promise<UserSettings> {
    return (await this.options.store.get(userId)) ?? NO_SETTINGS;
  }

  /** Replace the settings; a narrator model off the operator's list → `model_not_allowed` (400). */
  async put(userId: string, settings: UserSettings): Promise<UserSettings> {
    if (settings.narratorModel !== null && !this.options.allowedModels.includes(settings.narratorModel)) {
      throw new DramaError('model_not_allowed', `${settings.narratorModel} is not one of this server's models`, {
        details: { allowed: this.options.allowedModels },
      });
    }
    await this.options.store.put(userId, settings);
    return settings;
  }

  #sealer(): KeySealer {
    if (!this.options.sealer) throw new DramaError('provider_keys_disabled', 'This server keeps no provider keys: its operator has not set PROVIDER_KEY_SECRET');
    return this.options.sealer;
  }

  /** The user's keys: provider, hint, base URL and date only. */
  async listKeys(userId: string): Promise<SealedProviderKey[]> {
    this.#sealer();
    return this.options.store.listKeys(userId);
  }

  /** Seal and store the user's key for `provider` (replacing one there). */
  async putKey(userId: string, provider: KeyProvider, input: { apiKey: string; baseUrl?: string }): Promise<SealedProviderKey> {
    const sealer = this.#sealer();
    if (provider === 'compat' && !input.baseUrl) throw new DramaError('bad_request', 'an OpenAI-compatible key needs base_url', { details: [{ path: 'base_url', message: 'required for openai-compatible' }] });
    const apiKey = input.apiKey.trim();
    return this.options.store.putKey(userId, {
      provider,
      sealed: sealer.seal(apiKey, keyContext(userId, provider)),
      hint: keyHint(apiKey),
      baseUrl: provider === 'compat' ? (input.baseUrl ?? null) : null,
    });
  }

  async deleteKey(userId: string, provider: KeyProvider): Promise<void> {
    this.#sealer();
    if (!(await this.options.store.deleteKey(userId, provider))) throw new DramaError('not_found', `You have no ${provider} key here`);
  }
}
