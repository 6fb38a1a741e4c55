/** How long the narrator's passages run: a token cap and a line of instruction (see settings-service.ts). */
export type PassageLength = 'short' | 'medium' | 'long';

/** Interface languages of the web client. */
export type InterfaceLanguage = 'en' | 'zh';

/** Model providers a user may bring a key for (`compat`: any OpenAI-compatible server). */
export type KeyProvider = 'openai' | 'anthropic' | 'compat';

/** A user's settings; a null field means the server's default. */
export interface UserSettings {
  /** A `provider:model` spec from the operator's ALLOWED_MODELS. */
  narratorModel: string | null;
  temperature: number | null;
  passageLength: PassageLength | null;
  language: InterfaceLanguage | null;
}

/** A user's provider key as stored: sealed (encrypted), never the key itself. */
export interface SealedProviderKey {
  provider: KeyProvider;
  /** AES-256-GCM ciphertext (see {@link KeySealer}); opened only to call the provider. */
  sealed: string;
  /** What the owner sees: `sk-…abcd`. */
  hint: string;
  /** The OpenAI-compatible server (compat only). */
  baseUrl: string | null;
  createdAt: Date;
}

/** What a turn needs to know about the session's owner; read with the turn's one load statement. */
export interface OwnerPreferences {
  settings: UserSettings | null;
  keys: SealedProviderKey[];
}

/** Users' settings and sealed provider keys. */
export interface SettingsStore {
  /** The user's settings, or null when they never saved any. */
  get(userId: string): Promise<UserSettings | null>;
  /** Replace the user's settings. */
  put(userId: string, settings: UserSettings): Promise<void>;
  /** The user's keys (sealed), by provider. */
  listKeys(userId: string): Promise<SealedProviderKey[]>;
  /** Store or replace the user's key for its provider. */
  putKey(userId: string, key: Omit<SealedProviderKey, 'createdAt'>): Promise<SealedProviderKey>;
  /** Remove the user's key for `provider`; false when there was none. */
  deleteKey(userId: string, provider: KeyProvider): Promise<boolean>;
}
