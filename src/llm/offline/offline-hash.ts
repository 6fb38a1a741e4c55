/**
 * Deterministic hashing and pseudo-randomness for the offline models: the same turn must give the
 * same text and the same vectors on every machine, so nothing here touches Math.random or time.
 * @module
 */

/** FNV-1a's offset basis: the state before any code unit. */
export const FNV1A_BASIS = 0x811c9dc5;

/** One step of FNV-1a: the state after one more UTF-16 code unit. */
export function fnv1aStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193) >>> 0;
}

/** 32-bit FNV-1a over UTF-16 code units, with an optional seed mixed into the offset basis. */
export function fnv1a(text: string, seed = 0): number {
  let h = (FNV1A_BASIS ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = fnv1aStep(h, text.charCodeAt(i));
  return fnv1aFinish(h);
}

/** FNV's low bits avalanche poorly; a final murmur3 mix spreads them before `% dimensions`. */
export function fnv1aFinish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded generator of floats in [0, 1) (mulberry32): small, fast and reproducible. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of a non-empty list, chosen by `rng`. */
export function pick<T>(rng: () => number, items: readonly [T, ...T[]]): T {
  return items[Math.floor(rng() * items.length)] ?? items[0];
}
