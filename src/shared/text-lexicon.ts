/**
 * Small word lists and a suffix stemmer used by the text utilities in `text.ts`. Kept apart from
 * the algorithms so the lists can grow without touching the code.
 * @module
 */

/**
 * English function words that carry no meaning when matching a player's input against a choice
 * ("I want to climb the stairs" vs "Climb the stairs"). Modal and "wanting" verbs are included
 * because players phrase intentions with them and choices never do.
 */
const ENGLISH_STOPWORDS = new Set(
  (
    'a an the and or but if so then than of in on at to into onto from by for with about as ' +
    'i me my mine myself you your yours yourself we us our he him his she her it its they them their ' +
    'is am are was were be been being do does did done have has had ' +
    'this that these those there here ' +
    'will would shall should can could may might must want wanna gonna going try let lets please just now ' +
    'very really some any all'
  ).split(' '),
);

/**
 * Single CJK characters that are grammar rather than content (pronouns, particles, aspect
 * markers). Only dropped as unigrams: bigrams that contain them ("回到") are kept, so meaning
 * carried by a compound survives.
 */
const CJK_STOP_UNIGRAMS = new Set(
  Array.from('我你他她它们的了是在要想去到和就也都着吧吗呢啊一个这那把被给让与及而又或のはがをにでともへやねよ'),
);

/** True for words ignored when matching: English function words and CJK grammar characters. */
export function isStopword(token: string): boolean {
  return ENGLISH_STOPWORDS.has(token) || CJK_STOP_UNIGRAMS.has(token);
}

const VOWEL = /[aeiouy]/;

/**
 * A deliberately small English suffix stemmer: enough to make "climbing", "climbed" and
 * "climbs" meet "climb", and "stairs" meet "stair". Not Porter; it over-stems some words
 * ("stone" → "ston") but does so consistently on both sides of a comparison, which is all
 * matching needs. Non-ASCII-letter tokens are returned unchanged.
 */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  else if (/(?:ch|sh|[sxz])es$/.test(w) && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // Dropping a final "e" makes "take"/"taking" and "love"/"loved" meet.
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** "running" → "runn" → "run"; keeps "ll", "ss", "zz" where the double letter is usually part of the root. */
function undouble(stem: string): string {
  const last = stem.at(-1);
  if (stem.length > 2 && last === stem.at(-2) && last !== undefined && !'lsz'.includes(last) && !VOWEL.test(last)) {
    return stem.slice(0, -1);
  }
  return stem;
}
