/**
 * Cards written as SillyTavern World Info, the file its "Import World Info" button loads. Every
 * field its own exports carry is written, with SillyTavern's defaults where we have no equivalent.
 * @module
 */
import type { LoreCard } from '../../domain/types.js';
import { ALWAYS } from './lorebook.js';

/** One World Info entry as SillyTavern writes it. */
export interface WorldInfoEntry {
  uid: number;
  key: string[];
  keysecondary: string[];
  comment: string;
  content: string;
  constant: boolean;
  vectorized: boolean;
  selective: boolean;
  selectiveLogic: number;
  addMemo: boolean;
  order: number;
  position: number;
  disable: boolean;
  excludeRecursion: boolean;
  preventRecursion: boolean;
  delayUntilRecursion: boolean;
  probability: number;
  useProbability: boolean;
  depth: number;
  group: string;
  groupOverride: boolean;
  groupWeight: number;
  scanDepth: null;
  caseSensitive: null;
  matchWholeWords: null;
  useGroupScoring: null;
  automationId: string;
  role: null;
  sticky: number;
  cooldown: number;
  delay: number;
  displayIndex: number;
  /** A card's ink condition, which SillyTavern cannot evaluate (it ignores this); our import reads it back. */
  extensions?: { mock_drama: { when: string } };
}

/**
 * The World Info file for `cards`, in their order. A card that is always on (no keywords, `when`
 * "true") becomes a constant entry. Our first card gets the highest `order`: SillyTavern gives
 * budget to higher orders first, as our builder does to earlier cards, and our import sorts by it.
 */
export function toWorldInfo(cards: readonly LoreCard[]): { entries: Record<string, WorldInfoEntry> } {
  const entries: Record<string, WorldInfoEntry> = {};
  cards.forEach((card, uid) => {
    const constant = card.keywords.length === 0 && card.when === ALWAYS;
    const when = card.when && !constant ? card.when : null;
    entries[String(uid)] = {
      uid,
      key: [...card.keywords],
      keysecondary: [],
      comment: card.name,
      content: card.text,
      constant,
      // Without keywords our card is found by similarity to the scene, as a vectorized entry is.
      vectorized: card.keywords.length === 0 && !constant,
      selective: true,
      selectiveLogic: 0,
      addMemo: true,
      order: cards.length - uid,
      // 0: before the character definition, SillyTavern's default.
      position: 0,
      disable: false,
      excludeRecursion: false,
      preventRecursion: false,
      delayUntilRecursion: false,
      probability: 100,
      useProbability: true,
      depth: 4,
      group: '',
      groupOverride: false,
      groupWeight: 100,
      scanDepth: null,
      caseSensitive: null,
      matchWholeWords: null,
      useGroupScoring: null,
      automationId: '',
      role: null,
      sticky: 0,
      cooldown: 0,
      delay: 0,
      displayIndex: uid,
      ...(when ? { extensions: { mock_drama: { when } } } : {}),
    };
  });
  return { entries };
}
