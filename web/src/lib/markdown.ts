/**
 * Narration as Markdown (emphasis, quotes, lists, line breaks) turned into HTML by micromark, which
 * is safe by default: raw HTML in the text is escaped, never passed through. Links and images are
 * switched off as well. A model or a player can write `<img src=x onerror=…>` and it shows as text.
 * @module
 */
import { micromark } from 'micromark';

/** Every line of a passage is its own block, as plain passages always showed them. */
function blocks(text: string): string {
  return text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n\n');
}

/**
 * A passage is prose: links and images are not Markdown there (a model could otherwise show a
 * phishing link or load a tracking pixel), so their brackets stay as text; HTML stays text too.
 */
const PROSE_ONLY = { disable: { null: ['labelStartImage', 'labelStartLink', 'autolink', 'htmlFlow', 'htmlText'] } };

/** Safe HTML for a passage of narration. */
export function narrationHtml(text: string): string {
  return micromark(blocks(text), { extensions: [PROSE_ONLY] });
}

/** The words of a passage without its Markdown marks, for reading aloud and copying. */
export function narrationPlainText(text: string): string {
  const html = narrationHtml(text);
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return [...doc.body.children].map((el) => el.textContent?.trim() ?? '').filter(Boolean).join('\n\n');
}
