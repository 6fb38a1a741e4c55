/**
 * SillyTavern World Info (a lorebook file: `{entries: {"0": {uid, key, keysecondary, content, …}}}`)
 * read into cards. The activation rules SillyTavern shares with character books (secondary keys,
 * probability, timed effects) are checked here for both.
 * @module
 */
import { z } from 'zod';
import { ALWAYS, byPriority, LorebookCollector, parseShape, type ParsedLorebook } from './lorebook.js';

/** SillyTavern's `selectiveLogic`, by number. */
const SELECTIVE_LOGIC = ['AND ANY', 'NOT ALL', 'NOT ANY', 'AND ALL'] as const;

/** The activation settings that decide *whether* an entry fires, where our cards differ. */
export interface StActivation {
  selective?: boolean | null | undefined;
  secondaryKeys?: readonly string[] | undefined;
  selectiveLogic?: number | null | undefined;
  useProbability?: boolean | null | undefined;
  probability?: number | null | undefined;
  sticky?: number | null | undefined;
  cooldown?: number | null | undefined;
  delay?: number | null | undefined;
}

/** Why an entry cannot become a card of ours without changing when it fires (null: it can). */
export function unsupportedActivation(a: StActivation): string | null {
  const secondary = (a.secondaryKeys ?? []).filter((k) => k.trim());
  // SillyTavern applies secondary keys only to a selective entry (the default).
  if (a.selective !== false && secondary.length > 0) {
    const logic = SELECTIVE_LOGIC[a.selectiveLogic ?? 0] ?? `logic ${a.selectiveLogic}`;
    return `secondary keys with ${logic} (${secondary.join(', ')}): a card triggers on any one of its keywords and cannot require or exclude others`;
  }
  if (a.useProbability !== false && typeof a.probability === 'number' && a.probability < 100) {
    return `fires with probability ${a.probability}%: cards have no random activation`;
  }
  const timed = (['sticky', 'cooldown', 'delay'] as const).filter((k) => (a[k] ?? 0) > 0);
  if (timed.length > 0) return `timed effects (${timed.map((k) => `${k} ${a[k]}`).join(', ')}) are not supported`;
  return null;
}

const optionalNumber = z.number().nullish();
const WorldInfoEntry = z.looseObject({
  uid: z.union([z.number(), z.string()]).optional(),
  key: z.array(z.string()).default([]),
  keysecondary: z.array(z.string()).default([]),
  comment: z.string().nullish(),
  content: z.string().nullish(),
  constant: z.boolean().nullish(),
  selective: z.boolean().nullish(),
  selectiveLogic: optionalNumber,
  order: optionalNumber,
  disable: z.boolean().nullish(),
  vectorized: z.boolean().nullish(),
  useProbability: z.boolean().nullish(),
  probability: optionalNumber,
  sticky: optionalNumber,
  cooldown: optionalNumber,
  delay: optionalNumber,
  /** Our own export keeps a card's ink condition here (SillyTavern ignores it). */
  extensions: z.looseObject({ mock_drama: z.object({ when: z.string().nullish() }).optional() }).nullish(),
});
// Entries are an object keyed by uid (SillyTavern's exports) or, in older files, an array; each
// shape is parsed on its own so that a broken entry is named (a union would only name `entries`).
const WorldInfoEntries = z.record(z.string(), WorldInfoEntry);
const WorldInfoList = z.array(WorldInfoEntry);

/** Whether `json` looks like World Info: an `entries` object or array (and nothing of the other formats). */
export function isWorldInfo(json: Record<string, unknown>): boolean {
  return 'entries' in json && typeof json.entries === 'object' && json.entries !== null && !('lorebookVersion' in json);
}

const FORMAT = 'SillyTavern World Info';

/** Read World Info. Higher `order` comes first among our cards (SillyTavern gives it the budget first). */
export function readWorldInfo(json: Record<string, unknown>): ParsedLorebook {
  const raw = (json as { entries: unknown }).entries;
  const keyed = Array.isArray(raw)
    ? parseShape(WorldInfoList, raw, FORMAT, 'entries').map((e, i) => [String(i), e] as const)
    : Object.entries(parseShape(WorldInfoEntries, raw, FORMAT, 'entries'));
  const out = new LorebookCollector();
  for (const { item: [key, entry] } of byPriority(keyed, ([, e]) => e.order ?? 100)) {
    const source = `entries.${key}`;
    const name = entry.comment ?? '';
    if (entry.disable) {
      out.skip(source, name || entry.key[0], 'disabled in the file');
      continue;
    }
    const unsupported = unsupportedActivation({ ...entry, secondaryKeys: entry.keysecondary });
    if (unsupported) {
      out.skip(source, name || entry.key[0], unsupported);
      continue;
    }
    const constant = entry.constant === true;
    const when = constant ? ALWAYS : (entry.extensions?.mock_drama?.when ?? null);
    if (!constant && !entry.vectorized && when === null && !entry.key.some((k) => k.trim())) {
      out.skip(source, name, 'no keys and not constant: SillyTavern never triggers it');
      continue;
    }
    // A constant entry fires whatever its keys say: an always-on card has none.
    out.add(source, { name, keywords: constant ? [] : entry.key, text: entry.content ?? '', when });
  }
  return out.result('sillytavern_world_info');
}
