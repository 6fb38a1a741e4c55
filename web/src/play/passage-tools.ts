/**
 * Reading a passage aloud with the browser's own speech synthesis (no server, no key) and copying
 * it. Both take the passage's words without Markdown marks.
 * @module
 */
import { narrationPlainText } from '../lib/markdown.js';

export const canSpeak = typeof speechSynthesis !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined';

/** Speak the passage in the page's language; resolves when done or stopped. Speaking anew stops the last one. */
export function speak(text: string, onEnd: () => void): void {
  speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(narrationPlainText(text));
  utterance.lang = document.documentElement.lang || navigator.language;
  utterance.onend = onEnd;
  utterance.onerror = onEnd;
  speechSynthesis.speak(utterance);
}

export function stopSpeaking(): void {
  speechSynthesis.cancel();
}

/** Copy the passage's words; false when the browser refused (no permission, not a secure page). */
export async function copyPassage(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(narrationPlainText(text));
    return true;
  } catch {
    return false;
  }
}
