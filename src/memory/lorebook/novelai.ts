/**
 * NovelAI lorebooks (`.lorebook`: `{lorebookVersion, entries: [{displayName, keys, text, enabled,
 * forceActivation, category, contextConfig}], categories}`) read into cards.
 * @module
 */
import { z } from 'zod';
import { ALWAYS, byPriority, LorebookCollector, parseShape, type ParsedLorebook } from './lorebook.js';

const Entry = z.looseObject({
  displayName: z.string().nullish(),
  keys: z.array(z.string()).default([]),
  text: z.string().nullish(),
  enabled: z.boolean().nullish(),
  forceActivation: z.boolean().nullish(),
  category: z.string().nullish(),
  contextConfig: z.looseObject({ budgetPriority: z.number().nullish() }).nullish(),
});
const Lorebook = z.looseObject({
  lorebookVersion: z.number(),
  entries: z.array(Entry).default([]),
  categories: z.array(z.looseObject({ id: z.string().nullish(), name: z.string().nullish(), enabled: z.boolean().nullish() })).nullish(),
});

/** Whether `json` declares itself a NovelAI lorebook. */
export function isNovelAiLorebook(json: Record<string, unknown>): boolean {
  return 'lorebookVersion' in json;
}

/** Read a lorebook. Higher `budgetPriority` comes first among our cards (NovelAI gives it the budget first). */
export function readNovelAiLorebook(json: unknown): ParsedLorebook {
  const book = parseShape(Lorebook, json, 'NovelAI lorebook');
  const disabledCategories = new Map((book.categories ?? []).filter((c) => c.enabled === false && c.id).map((c) => [c.id!, c.name ?? c.id!]));
  const out = new LorebookCollector();
  for (const { item: entry, index } of byPriority(book.entries, (e) => e.contextConfig?.budgetPriority ?? 400)) {
    const source = `entries.${index}`;
    const name = entry.displayName ?? '';
    const category = entry.category ? disabledCategories.get(entry.category) : undefined;
    if (entry.enabled === false) out.skip(source, name || entry.keys[0], 'disabled in the file');
    else if (category !== undefined) out.skip(source, name || entry.keys[0], `its category "${category}" is disabled`);
    else if (entry.forceActivation) out.add(source, { name, keywords: [], text: entry.text ?? '', when: ALWAYS });
    else if (!entry.keys.some((k) => k.trim())) out.skip(source, name, 'no keys and not always on: NovelAI never activates it');
    else out.add(source, { name, keywords: entry.keys, text: entry.text ?? '', when: null });
  }
  return out.result('novelai_lorebook');
}
