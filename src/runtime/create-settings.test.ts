import { describe, expect, it } from 'vitest';
import { loadEnv } from '../config/env.js';
import { allowedModels, keySealer } from './create-settings.js';

describe('settings configuration', () => {
  it('PROVIDER_KEY_SECRET must be 32 bytes (hex or base64), and the error does not repeat it', () => {
    expect(keySealer(loadEnv({}))).toBeUndefined();
    expect(keySealer(loadEnv({ PROVIDER_KEY_SECRET: 'ab'.repeat(32) }))).toBeDefined();
    expect(keySealer(loadEnv({ PROVIDER_KEY_SECRET: Buffer.alloc(32, 3).toString('base64') }))).toBeDefined();
    for (const bad of ['hunter2-not-a-key', 'ab'.repeat(16), Buffer.alloc(31).toString('base64')]) {
      expect(() => loadEnv({ PROVIDER_KEY_SECRET: bad })).toThrow(/PROVIDER_KEY_SECRET: must be 32 bytes/);
      try {
        loadEnv({ PROVIDER_KEY_SECRET: bad });
      } catch (err) {
        expect(String((err as Error).message)).not.toContain(bad);
      }
    }
  });

  it('ALLOWED_MODELS: provider:model specs, trimmed and without duplicates; a bad one fails the start naming the variable', () => {
    expect(allowedModels(loadEnv({}))).toEqual([]);
    expect(allowedModels(loadEnv({ ALLOWED_MODELS: ' openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest,openai:gpt-4o-mini' }))).toEqual([
      'openai:gpt-4o-mini',
      'anthropic:claude-3-5-haiku-latest',
    ]);
    expect(() => allowedModels(loadEnv({ ALLOWED_MODELS: 'gpt-4o' }))).toThrow(/ALLOWED_MODELS: "gpt-4o" is not provider:model/);
  });
});
