/**
 * A lorebook file read into cards, its format told by its content (never by its name): a PNG is a
 * character card; JSON is World Info, a character card, a NovelAI lorebook or AI Dungeon story
 * cards by the fields each declares. Anything else is `lorebook_unknown_format`, a broken file of a
 * known format `lorebook_invalid` (both 422, with `details`); nothing else is ever thrown.
 * @module
 */
import { DramaError, isDramaError } from '../../domain/errors.js';
import { isAiDungeonExport, readAiDungeonCards } from './ai-dungeon.js';
import { isCharacterCard, readCharacterCard } from './character-card.js';
import { lorebookInvalid, type ParsedLorebook } from './lorebook.js';
import { isNovelAiLorebook, readNovelAiLorebook } from './novelai.js';
import { isPng, readPngCard } from './png-card.js';
import { isWorldInfo, readWorldInfo } from './sillytavern-world-info.js';

export type { ImportedEntry, LorebookFormat, ParsedLorebook, SkippedEntry } from './lorebook.js';

const KNOWN = 'SillyTavern World Info or character card (JSON or PNG), NovelAI lorebook, AI Dungeon story cards';

function unknownFormat(found: string): DramaError {
  return new DramaError('lorebook_unknown_format', `not a lorebook this server reads (${KNOWN})`, { details: [{ path: '(file)', message: found }] });
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw unknownFormat('neither a PNG nor UTF-8 text');
  }
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) throw unknownFormat('neither a PNG nor JSON');
  try {
    return JSON.parse(trimmed);
  } catch (err) {
    throw lorebookInvalid('the file is not valid JSON', [{ path: '(file)', message: err instanceof Error ? err.message : String(err) }]);
  }
}

function readJson(json: unknown): ParsedLorebook {
  if (isAiDungeonExport(json)) return readAiDungeonCards(json);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw unknownFormat(Array.isArray(json) ? 'a JSON array that is not AI Dungeon story cards' : 'a JSON value that is not an object');
  const object = json as Record<string, unknown>;
  if (isCharacterCard(object)) return readCharacterCard(object);
  if (isNovelAiLorebook(object)) return readNovelAiLorebook(object);
  if (isWorldInfo(object)) return readWorldInfo(object);
  const keys = Object.keys(object).slice(0, 10);
  throw unknownFormat(`a JSON object with ${keys.length ? `the fields ${keys.join(', ')}` : 'no fields'}`);
}

/** Read a lorebook file; throws only DramaErrors `lorebook_invalid` and `lorebook_unknown_format`. */
export function parseLorebook(bytes: Uint8Array): ParsedLorebook {
  try {
    if (isPng(bytes)) {
      const { json, chunk } = readPngCard(bytes);
      if (typeof json !== 'object' || json === null || Array.isArray(json) || !isCharacterCard(json as Record<string, unknown>)) {
        throw lorebookInvalid(`the PNG's "${chunk}" chunk is not a character card`, [{ path: `png.${chunk}.spec`, message: 'expected chara_card_v2, chara_card_v3 or a V1 card' }]);
      }
      return readCharacterCard(json as Record<string, unknown>, `png.${chunk}`);
    }
    return readJson(parseJson(bytes));
  } catch (err) {
    if (isDramaError(err)) throw err;
    // A reader's own slip on a shape it did not foresee is still the file's fault, and must not be a 500.
    throw lorebookInvalid('the file could not be read', [{ path: '(file)', message: err instanceof Error ? err.message : String(err) }]);
  }
}
