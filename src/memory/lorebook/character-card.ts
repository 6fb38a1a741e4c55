/**
 * SillyTavern character cards, V2 (`chara_card_v2`) and V3 (`chara_card_v3`): the character's
 * description, personality and scenario become always-on cards named after the character, and the
 * embedded `character_book` entries become cards as World Info entries do.
 * @module
 */
import { z } from 'zod';
import { ALWAYS, byPriority, LorebookCollector, parseShape, type ParsedLorebook } from './lorebook.js';
import { unsupportedActivation } from './sillytavern-world-info.js';

const optionalNumber = z.number().nullish();
const BookEntry = z.looseObject({
  keys: z.array(z.string()).default([]),
  secondary_keys: z.array(z.string()).nullish(),
  content: z.string().nullish(),
  enabled: z.boolean().nullish(),
  constant: z.boolean().nullish(),
  selective: z.boolean().nullish(),
  insertion_order: optionalNumber,
  use_regex: z.boolean().nullish(),
  case_sensitive: z.boolean().nullish(),
  name: z.string().nullish(),
  comment: z.string().nullish(),
  // SillyTavern keeps its own activation settings here when it writes a card.
  extensions: z
    .looseObject({ selectiveLogic: optionalNumber, useProbability: z.boolean().nullish(), probability: optionalNumber, sticky: optionalNumber, cooldown: optionalNumber, delay: optionalNumber })
    .nullish(),
});

const CharacterCard = z.looseObject({
  spec: z.enum(['chara_card_v2', 'chara_card_v3']),
  data: z.looseObject({
    name: z.string(),
    description: z.string().nullish(),
    personality: z.string().nullish(),
    scenario: z.string().nullish(),
    first_mes: z.string().nullish(),
    mes_example: z.string().nullish(),
    character_book: z.looseObject({ entries: z.array(BookEntry) }).nullish(),
  }),
});

/** A V1 card (before the specs: the fields at the top, no `spec`), as older PNG cards carry. */
function isV1Card(json: Record<string, unknown>): boolean {
  return json.spec === undefined && typeof json.name === 'string' && typeof json.description === 'string' && 'first_mes' in json;
}

/** Whether `json` is a character card: V2 or V3 by its `spec`, or V1 by its fields. */
export function isCharacterCard(json: Record<string, unknown>): boolean {
  return json.spec === 'chara_card_v2' || json.spec === 'chara_card_v3' || isV1Card(json);
}

/** SillyTavern's placeholders for the character, filled in as SillyTavern fills them in the prompt. */
function withName(text: string, name: string): string {
  return text.replace(/\{\{char\}\}|<bot>/gi, name);
}

/** A key as our keyword: V3's `use_regex` keys are bare patterns, ours are written `/pattern/flags`. */
function keyword(key: string, regex: boolean, caseSensitive: boolean): string {
  if (!regex || /^\/.+\/[a-z]*$/s.test(key)) return key;
  return `/${key}/${caseSensitive ? '' : 'i'}`;
}

type Book = NonNullable<z.infer<typeof CharacterCard>['data']['character_book']>;

function readBook(book: Book, character: string, out: LorebookCollector): void {
  for (const { item: entry, index } of byPriority(book.entries, (e) => e.insertion_order ?? 100)) {
    const source = `data.character_book.entries.${index}`;
    const name = entry.name || entry.comment || '';
    if (entry.enabled === false) {
      out.skip(source, name || entry.keys[0], 'disabled in the file');
      continue;
    }
    const unsupported = unsupportedActivation({ ...entry.extensions, selective: entry.selective, secondaryKeys: entry.secondary_keys ?? [] });
    if (unsupported) {
      out.skip(source, name || entry.keys[0], unsupported);
      continue;
    }
    const constant = entry.constant === true;
    if (!constant && !entry.keys.some((k) => k.trim())) {
      out.skip(source, name, 'no keys and not constant: SillyTavern never triggers it');
      continue;
    }
    const keywords = constant ? [] : entry.keys.map((k) => keyword(k, entry.use_regex === true, entry.case_sensitive === true));
    out.add(source, { name, keywords, text: withName(entry.content ?? '', character), when: constant ? ALWAYS : null });
  }
}

/** Read a character card (already decoded from its PNG, if it came as one). */
export function readCharacterCard(json: Record<string, unknown>, prefix = ''): ParsedLorebook {
  // V1's fields are V2's `data` (less the book), so it is read as one; its paths still say `data.…`.
  const v1 = isV1Card(json);
  const card = parseShape(CharacterCard, v1 ? { spec: 'chara_card_v2', data: json } : json, 'SillyTavern character card', prefix);
  const { data } = card;
  const name = data.name.trim() || 'Character';
  const out = new LorebookCollector();
  const parts = [
    ['description', data.description, name],
    ['personality', data.personality, `${name}: personality`],
    ['scenario', data.scenario, `${name}: scenario`],
  ] as const;
  for (const [field, text, title] of parts) {
    // The character is always in the scene: its definition is always on, as SillyTavern always sends it.
    if (text?.trim()) out.add(`data.${field}`, { name: title, keywords: [], text: withName(text, name), when: ALWAYS });
  }
  if (data.first_mes?.trim()) out.skip('data.first_mes', `${name}: first message`, 'a greeting, not lore');
  if (data.mes_example?.trim()) out.skip('data.mes_example', `${name}: example dialogue`, 'example dialogue, not lore');
  if (data.character_book) readBook(data.character_book, name, out);
  return out.result(v1 ? 'sillytavern_character_v1' : card.spec === 'chara_card_v3' ? 'sillytavern_character_v3' : 'sillytavern_character_v2');
}
