/**
 * The player's saved settings (`/api/me/settings`): read once signed in, so the saved interface
 * language wins over the browser's; the header's language switch saves it back.
 * @module
 */
import { unwrap } from '../../../sdk/index.js';
import type { Lang } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';

/** The saved interface language, or null (none saved, or the server could not be asked). */
export async function savedLanguage(): Promise<Lang | null> {
  try {
    return (await call(() => unwrap(drama.api.GET('/api/me/settings')))).language ?? null;
  } catch {
    return null;
  }
}

/** Save the interface language (best effort: the local choice holds either way). */
export function saveLanguage(language: Lang): void {
  void call(() => unwrap(drama.api.PUT('/api/me/settings', { body: { language } }))).catch(() => undefined);
}
