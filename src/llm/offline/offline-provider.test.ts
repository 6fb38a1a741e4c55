import { NoSuchModelError } from '@ai-sdk/provider';
import { embed, generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createOfflineProvider } from './offline-provider.js';

describe('createOfflineProvider', () => {
  const offline = createOfflineProvider({ dimensions: 32 });

  it('serves the narrator, the judge and the embedding model', async () => {
    expect(offline('offline-narrator').modelId).toBe('offline-narrator');
    const judged = await generateText({ model: offline.languageModel('offline-judge'), prompt: 'I open the door' });
    expect(JSON.parse(judged.text)).toMatchObject({ choiceIndex: null, variableUpdates: [] });
    const { embedding } = await embed({ model: offline.textEmbeddingModel(), value: 'hello' });
    expect(embedding).toHaveLength(32);
  });

  it('throws NoSuchModelError for unknown ids', () => {
    expect(() => offline.languageModel('gpt-4o')).toThrow(NoSuchModelError);
    expect(() => offline.embeddingModel('ada')).toThrow(NoSuchModelError);
    expect(() => offline.imageModel('x')).toThrow(NoSuchModelError);
  });
});
