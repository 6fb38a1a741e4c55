import { describe, expect, it } from 'vitest';
import { isDramaError } from '../../domain/errors.js';
import { characterPng, fixture, pngChunk, TINY_PNG, withTextChunks } from './__fixtures__/png.js';
import { parseLorebook } from './parse-lorebook.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const card = (p: ReturnType<typeof parseLorebook>, name: string) => p.entries.find((e) => e.name === name);
const skip = (p: ReturnType<typeof parseLorebook>, name: string) => p.skipped.find((s) => s.name === name);

/** The error a bad file is refused with: its code and details (anything else fails the test). */
function refusal(bytes: Uint8Array): { code: string; details: { path: string; message: string }[] } {
  try {
    parseLorebook(bytes);
  } catch (err) {
    if (!isDramaError(err)) throw err;
    return { code: err.code, details: err.details as { path: string; message: string }[] };
  }
  throw new Error('the file was accepted');
}

describe('SillyTavern World Info', () => {
  const parsed = parseLorebook(fixture('sillytavern-world-info.json'));

  it('maps keys, content, comment and constant onto cards, highest order first', () => {
    expect(parsed.format).toBe('sillytavern_world_info');
    expect(parsed.entries.map((e) => e.name)).toEqual(['Weather', 'Gull Rock', 'logbook', 'Saltcombe']);
    expect(card(parsed, 'Gull Rock')).toEqual({ source: 'entries.0', name: 'Gull Rock', keywords: ['Gull Rock', 'the rock'], text: expect.stringContaining('granite island'), when: null });
    // Constant: always on, whatever its keys.
    expect(card(parsed, 'Weather')).toMatchObject({ keywords: [], when: 'true' });
    // Regex keys are written as ours are.
    expect(card(parsed, 'Saltcombe')?.keywords).toEqual(['/salt ?combe/i']);
    // No comment: named after the first key.
    expect(card(parsed, 'logbook')?.source).toBe('entries.7');
  });

  it('skips what a card cannot mean, saying why', () => {
    expect(skip(parsed, 'Cutter Hale')?.reason).toMatch(/secondary keys with AND ANY \(past, wreck\)/);
    expect(skip(parsed, 'The lamp')?.reason).toBe('disabled in the file');
    expect(skip(parsed, 'Ghost')?.reason).toMatch(/probability 25%/);
    expect(skip(parsed, 'Storm')?.reason).toMatch(/sticky 2/);
    expect(parsed.skipped).toHaveLength(4);
  });

  it('takes entries as an array too, and NOT logic is named', () => {
    const p = parseLorebook(json({ entries: [{ key: ['a'], content: 'A.', keysecondary: ['b'], selectiveLogic: 2 }, { key: ['c'], content: 'C.', keysecondary: ['d'], selective: false }] }));
    expect(p.skipped[0]).toMatchObject({ source: 'entries.0', reason: expect.stringContaining('NOT ANY') });
    // Not selective: SillyTavern ignores the secondary keys, and so may we.
    expect(p.entries).toEqual([{ source: 'entries.1', name: 'c', keywords: ['c'], text: 'C.', when: null }]);
  });

  it('splits a text longer than a card holds into parts with the same keys, never truncating', () => {
    const long = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} of the chronicle goes on for a while.`).join(' ');
    const p = parseLorebook(json({ entries: { 0: { key: ['chronicle'], content: long, comment: 'Chronicle' } } }));
    expect(p.entries.length).toBeGreaterThan(1);
    expect(p.entries.every((e) => e.text.length <= 2000 && e.keywords[0] === 'chronicle')).toBe(true);
    expect(p.entries[0]!.name).toBe(`Chronicle (1/${p.entries.length})`);
    expect(p.entries.map((e) => e.text).join(' ')).toBe(long);
  });
});

describe('SillyTavern character cards', () => {
  it('V2 JSON: description, personality and scenario are always on; the book entries are cards', () => {
    const p = parseLorebook(fixture('character-v2.json'));
    expect(p.format).toBe('sillytavern_character_v2');
    expect(card(p, 'Seraphina')).toMatchObject({ source: 'data.description', keywords: [], when: 'true', text: expect.stringMatching(/^Seraphina is a guardian/) });
    expect(card(p, 'Seraphina: personality')?.text).toBe('caring, protective, gentle');
    expect(card(p, 'Seraphina: scenario')?.text).toContain("{{user}} wakes in Seraphina's glade");
    expect(card(p, 'Garden')).toMatchObject({ keywords: ["Seraphina's garden", 'garden'], text: "Seraphina's garden is full of glowing moonflowers.", when: null });
    expect(skip(p, 'Eldoria')?.reason).toContain('NOT ANY');
    expect(skip(p, 'Shadows')?.reason).toBe('disabled in the file');
    expect(p.skipped.map((s) => s.source)).toEqual(expect.arrayContaining(['data.first_mes', 'data.mes_example']));
  });

  it('V3 JSON: regex keys become /pattern/i, a long description is split, constant entries are always on', () => {
    const p = parseLorebook(fixture('character-v3.json'));
    expect(p.format).toBe('sillytavern_character_v3');
    const parts = p.entries.filter((e) => e.source === 'data.description');
    expect(parts.length).toBe(2);
    expect(parts[0]!.text).toMatch(/^Captain Ilse Varg commands/);
    expect(card(p, 'Pirates')?.keywords).toEqual(['/sky ?pirates?/i']);
    expect(card(p, 'Slang')).toMatchObject({ keywords: [], when: 'true' });
    // insertion_order 20 before 10 before 5.
    expect(p.entries.filter((e) => e.source.startsWith('data.character_book')).map((e) => e.name)).toEqual(['Pirates', 'Kestrel', 'Slang']);
  });

  it('V1 (the fields at the top, no spec), as older PNG cards carry it', () => {
    const v1 = { name: 'Aria', description: '{{char}} is a bard.', personality: 'cheerful', scenario: '', first_mes: 'Hello!', mes_example: '' };
    const p = parseLorebook(characterPng(v1, 'chara'));
    expect(p.format).toBe('sillytavern_character_v1');
    expect(p.entries.map((e) => [e.name, e.text])).toEqual([
      ['Aria', 'Aria is a bard.'],
      ['Aria: personality', 'cheerful'],
    ]);
  });

  it('PNG: the chara chunk (V2), and ccv3 preferred when both are there', () => {
    const v2 = JSON.parse(fixture('character-v2.json').toString());
    const v3 = JSON.parse(fixture('character-v3.json').toString());
    expect(parseLorebook(characterPng(v2, 'chara')).format).toBe('sillytavern_character_v2');
    const both = characterPng(v3, 'ccv3', { chara: Buffer.from(JSON.stringify(v2)).toString('base64') });
    const p = parseLorebook(both);
    expect(p.format).toBe('sillytavern_character_v3');
    expect(card(p, 'Kestrel')).toBeDefined();
  });
});

describe('NovelAI and AI Dungeon', () => {
  it('NovelAI: keys, text, displayName; forceActivation is always on; disabled entries and categories are skipped', () => {
    const p = parseLorebook(fixture('novelai.lorebook'));
    expect(p.format).toBe('novelai_lorebook');
    expect(p.entries).toEqual([
      { source: 'entries.1', name: 'Rules of magic', keywords: [], text: 'Magic in this world costs memories.', when: 'true' },
      { source: 'entries.0', name: 'Vale of Ash', keywords: ['Vale of Ash', 'ashen vale'], text: expect.stringContaining('volcanic'), when: null },
    ]);
    expect(p.skipped).toEqual([
      { source: 'entries.2', name: 'Draft', reason: 'disabled in the file' },
      { source: 'entries.3', name: 'Arc notes', reason: 'its category "Unused" is disabled' },
    ]);
  });

  it('AI Dungeon: comma-separated keys, value as the text, title as the name', () => {
    const p = parseLorebook(fixture('ai-dungeon-story-cards.json'));
    expect(p.format).toBe('ai_dungeon_story_cards');
    expect(p.entries.map((e) => [e.name, e.keywords])).toEqual([
      ['Fairy', ['Fairy', 'Larry']],
      ['Larion', ['Larion', 'kingdom']],
    ]);
    expect(p.skipped).toEqual([{ source: '2', name: 'Note', reason: expect.stringContaining('no trigger keys') }]);
  });
});

describe('malformed and unknown files', () => {
  it('truncated JSON is lorebook_invalid', () => {
    const text = fixture('sillytavern-world-info.json').toString();
    expect(refusal(Buffer.from(text.slice(0, text.length / 2)))).toMatchObject({ code: 'lorebook_invalid', details: [{ path: '(file)' }] });
  });

  it('entries of the wrong types are lorebook_invalid naming each place', () => {
    const r = refusal(json({ entries: { 0: { key: 'not a list', content: 5 } } }));
    expect(r.code).toBe('lorebook_invalid');
    expect(r.details.map((d) => d.path)).toEqual(expect.arrayContaining(['entries.0.key', 'entries.0.content']));
    expect(refusal(json({ lorebookVersion: 5, entries: [{ keys: [1], text: 'x' }] })).details[0]!.path).toBe('entries.0.keys.0');
    expect(refusal(json({ spec: 'chara_card_v2', data: { description: 'no name' } })).details[0]!.path).toBe('data.name');
  });

  it('an unknown shape is lorebook_unknown_format', () => {
    expect(refusal(json({ title: 'x', cards: [] })).code).toBe('lorebook_unknown_format');
    expect(refusal(json([1, 2, 3])).code).toBe('lorebook_unknown_format');
    expect(refusal(Buffer.from('hello')).code).toBe('lorebook_unknown_format');
    expect(refusal(Buffer.from([0xff, 0xfe, 0x00, 0x01])).code).toBe('lorebook_unknown_format');
  });

  it('a PNG with a bad CRC, cut off, with no card chunk or with a broken one', () => {
    const good = characterPng(JSON.parse(fixture('character-v2.json').toString()));
    const badCrc = Buffer.from(good);
    badCrc[40] = badCrc[40]! ^ 0xff; // inside the tEXt chunk's data
    expect(refusal(badCrc)).toMatchObject({ code: 'lorebook_invalid', details: [{ path: 'png', message: expect.stringMatching(/CRC/) }] });
    expect(refusal(good.subarray(0, good.length - 40)).code).toBe('lorebook_invalid');
    expect(refusal(TINY_PNG).code).toBe('lorebook_unknown_format');
    expect(refusal(withTextChunks(TINY_PNG, { chara: 'not base64 !!' })).details[0]!.path).toBe('png.chara');
    expect(refusal(withTextChunks(TINY_PNG, { chara: Buffer.from('{"spec":').toString('base64') })).code).toBe('lorebook_invalid');
    // A chunk claiming 4 GB is refused before anything is allocated for it.
    const huge = Buffer.concat([TINY_PNG.subarray(0, 33), pngChunk('tEXt', Buffer.alloc(0)).fill(0xff, 0, 4), TINY_PNG.subarray(33)]);
    expect(refusal(huge).details[0]!.message).toMatch(/cut off/);
  });
});
