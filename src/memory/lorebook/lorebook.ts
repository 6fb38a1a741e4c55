/**
 * What every lorebook format is read into: entries mapped onto our card model (a name, keywords,
 * text and an optional `when` condition), and the entries left out with the reason. An entry is
 * only mapped when our cards mean the same thing; a feature we cannot express skips the entry.
 * @module
 */
import type { z } from 'zod';
import { cleanText } from '../../domain/clean-text.js';
import type { ImportedEntry, SkippedEntry } from '../../domain/card-import.js';
import { DramaError } from '../../domain/errors.js';
import { MEMORY_INPUT_LIMITS } from '../../domain/memory-service.js';

export type { ImportedEntry, SkippedEntry };

/** The formats an import recognises (the `format` of its answer). */
export type LorebookFormat = 'sillytavern_world_info' | 'sillytavern_character_v1' | 'sillytavern_character_v2' | 'sillytavern_character_v3' | 'novelai_lorebook' | 'ai_dungeon_story_cards';

export interface ParsedLorebook {
  format: LorebookFormat;
  entries: ImportedEntry[];
  skipped: SkippedEntry[];
}

/**
 * The `when` of an always-on card: our builder offers a card with no keywords whose condition
 * holds every turn, which is what SillyTavern's `constant` and NovelAI's `forceActivation` mean.
 */
export const ALWAYS = 'true';

/** 422 `lorebook_invalid`: the file is one we know, but broken; `details` says where. */
export function lorebookInvalid(message: string, details: { path: string; message: string }[]): DramaError {
  return new DramaError('lorebook_invalid', message, { details });
}

/** A zod failure as `lorebook_invalid`, the first few offending paths named. */
export function invalidShape(format: string, error: z.ZodError, prefix = ''): DramaError {
  const details = error.issues.slice(0, 20).map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(file)', message: i.message }));
  return lorebookInvalid(`not a valid ${format} file: ${details.map((d) => d.path).join(', ')}`, details);
}

/** Parse with `schema`, or throw {@link invalidShape}. */
export function parseShape<T extends z.ZodType>(schema: T, value: unknown, format: string, prefix = ''): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidShape(format, result.error, prefix);
  return result.data;
}

const limits = MEMORY_INPUT_LIMITS;

/**
 * Split a text longer than a card holds into parts at paragraph, line or sentence ends (never
 * truncated: every part becomes a card with the same keywords and condition, so they enter together).
 */
export function splitText(text: string, max: number = limits.cardText): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const floor = Math.floor(max / 2);
    const at = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf('. '), window.lastIndexOf(' ')].find((i) => i >= floor);
    const cut = at === undefined ? max : at + 1;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);
  return parts.filter(Boolean);
}

/** What a format's reader hands over for one entry, before it is fitted to our limits. */
export interface EntryDraft {
  /** Empty: named after its first keyword, or its place in the file. */
  name: string;
  keywords: readonly string[];
  text: string;
  when: string | null;
}

/** Collects the entries of one file, fitting each to our card limits or skipping it with the reason. */
export class LorebookCollector {
  readonly entries: ImportedEntry[] = [];
  readonly skipped: SkippedEntry[] = [];

  skip(source: string, name: string | undefined, reason: string): void {
    const clean = name ? cleanText(name).trim() : '';
    this.skipped.push({ source, ...(clean ? { name: clean.slice(0, limits.cardName) } : {}), reason });
  }

  add(source: string, draft: EntryDraft): void {
    const keywords = draft.keywords.map((k) => cleanText(k).trim()).filter(Boolean);
    const name = (cleanText(draft.name).trim() || keywords[0] || `Entry ${source}`).slice(0, limits.cardName);
    const text = cleanText(draft.text).trim();
    if (!text) return this.skip(source, name, 'no text');
    if (keywords.length > limits.keywords) return this.skip(source, name, `${keywords.length} keys; a card has at most ${limits.keywords}`);
    const long = keywords.find((k) => k.length > limits.keyword);
    if (long) return this.skip(source, name, `a key is longer than ${limits.keyword} characters`);
    const parts = splitText(text);
    parts.forEach((part, i) => {
      const suffix = parts.length > 1 ? ` (${i + 1}/${parts.length})` : '';
      this.entries.push({ source, name: name.slice(0, limits.cardName - suffix.length) + suffix, keywords, text: part, when: draft.when });
    });
  }

  result(format: LorebookFormat): ParsedLorebook {
    return { format, entries: this.entries, skipped: this.skipped };
  }
}

/** Entries in the order our cards should have: the source's priority, highest first (ties keep file order). */
export function byPriority<T>(items: readonly T[], priority: (item: T) => number): { item: T; index: number }[] {
  return items.map((item, index) => ({ item, index })).sort((a, b) => priority(b.item) - priority(a.item) || a.index - b.index);
}
