/**
 * The retrieval query: the player's input and the current scene in one vector. For unit vectors
 * the cosine to a weighted sum is proportional to the weighted sum of the cosines, so one
 * similarity search ranks by "relevant to the input, and to the scene".
 * @module
 */

/** How much the scene counts next to the input (1). */
export const SCENE_WEIGHT = 0.5;
/** The scene is the end of the story text: the most recent lines describe where the player is. */
export const SCENE_CHARS = 1000;

/** The end of the story text, cut at a line or sentence start when one is near. */
export function sceneText(storyText: string): string {
  const text = storyText.trim();
  if (text.length <= SCENE_CHARS) return text;
  return text.slice(-SCENE_CHARS);
}

/** Normalised `input + SCENE_WEIGHT·scene`; either alone when the other is missing. */
export function combineQuery(input: number[] | undefined, scene: number[] | undefined): number[] {
  if (!input || input.length === 0) return scene ?? [];
  if (!scene || scene.length !== input.length) return input;
  const sum = input.map((x, i) => x + SCENE_WEIGHT * scene[i]!);
  const norm = Math.sqrt(sum.reduce((n, x) => n + x * x, 0));
  return norm === 0 ? input : sum.map((x) => x / norm);
}

/** Cosine similarity; 0 when either vector has no direction or the sizes differ. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
