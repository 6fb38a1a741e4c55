import type { Translate } from '../i18n/index.js';

/** "5 min ago", from an ISO time. */
export function timeAgo(iso: string, t: Translate, now = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return t('time.justNow');
  if (minutes < 60) return t('time.minutes', { n: minutes });
  if (minutes < 60 * 24) return t('time.hours', { n: Math.floor(minutes / 60) });
  return t('time.days', { n: Math.floor(minutes / 1440) });
}

/** Paragraphs of story or narration text (blank lines and single newlines both split). */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** An error's message for the player. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
