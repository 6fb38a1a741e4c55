/**
 * Model names in configuration: `provider:model`, comma-separated for a fallback chain, e.g.
 * `NARRATOR_MODEL=openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest`.
 * @module
 */
import { DramaError } from '../domain/errors.js';

export const PROVIDERS = ['openai', 'anthropic', 'compat', 'offline'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface ModelSpec {
  provider: ProviderName;
  modelId: string;
}

export function formatModelSpec(spec: ModelSpec): string {
  return `${spec.provider}:${spec.modelId}`;
}

/** Parse `provider:model[,provider:model…]`; throws `config_invalid` naming the variable. */
export function parseModelChain(value: string, variable: string): ModelSpec[] {
  const specs = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const colon = item.indexOf(':');
      const provider = (colon > 0 ? item.slice(0, colon) : '') as ProviderName;
      const modelId = colon > 0 ? item.slice(colon + 1).trim() : '';
      if (!PROVIDERS.includes(provider) || modelId === '') {
        throw new DramaError('config_invalid', `${variable}: "${item}" is not provider:model (providers: ${PROVIDERS.join(', ')})`);
      }
      return { provider, modelId };
    });
  if (specs.length === 0) throw new DramaError('config_invalid', `${variable} is empty`);
  return specs;
}
