import { useState } from 'preact/hooks';
import { LANGS, useI18n, type Lang } from '../i18n/index.js';
import { auth } from '../lib/api.js';
import type { AuthView } from '../lib/auth.js';
import { onLinkClick, type Route } from '../lib/router.js';
import { applyTheme, initialTheme, type Theme } from '../lib/theme.js';

export function Header({ route, view }: { route: Route; view: AuthView }) {
  const { t, lang, setLang } = useI18n();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    setTheme(next);
  };
  const link = (href: string, label: string, active: boolean) => (
    <a href={href} onClick={onLinkClick} aria-current={active ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <header class="site-header">
      <a class="brand" href="/" onClick={onLinkClick}>
        <svg viewBox="0 0 64 64" aria-hidden="true" class="brand-mark">
          <path d="M20 46V18l12 14 12-14v28" fill="none" stroke="currentColor" stroke-width="6" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
        <span>{t('app.name')}</span>
      </a>
      <nav aria-label={t('nav.main')} class="site-nav">
        {link('/', t('nav.library'), route.name === 'library' || route.name === 'story' || route.name === 'analytics')}
        {link('/sessions', t('nav.sessions'), route.name === 'sessions' || route.name === 'play')}
        {link('/upload', t('nav.upload'), route.name === 'upload')}
      </nav>
      <AccountArea view={view} settingsActive={route.name === 'settings'} />
      <div class="site-settings">
        <label class="visually-hidden" for="lang-select">
          {t('settings.language')}
        </label>
        <select id="lang-select" value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
          {LANGS.map((l) => (
            <option value={l.id} lang={l.html}>
              {l.label}
            </option>
          ))}
        </select>
        <button type="button" class="icon-button" onClick={toggleTheme} aria-label={theme === 'dark' ? t('settings.theme.toLight') : t('settings.theme.toDark')} title={t('settings.theme')}>
          <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
        </button>
      </div>
    </header>
  );
}

/** Who is signed in, and the way out (an account) or in (a guest, when accounts exist). */
function AccountArea({ view, settingsActive }: { view: AuthView; settingsActive: boolean }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const settings = (
    <a class="button small quiet" href="/settings" onClick={onLinkClick} aria-current={settingsActive ? 'page' : undefined}>
      {t('nav.settings')}
    </a>
  );
  if (view.kind === 'account') {
    const signOut = () => {
      setBusy(true);
      auth.signOut().finally(() => setBusy(false));
    };
    return (
      <div class="site-account" aria-label={t('auth.account')} role="group">
        <span class="who" title={view.email ?? view.userId}>
          {t('auth.signedInAs', { email: view.email ?? view.userId.slice(0, 8) })}
        </span>
        {settings}
        <button type="button" class="button small" onClick={signOut} disabled={busy}>
          {t('auth.signOut')}
        </button>
      </div>
    );
  }
  if (view.kind === 'guest' && auth.config?.supabase) {
    return (
      <div class="site-account" aria-label={t('auth.account')} role="group">
        <span class="who">{t('auth.guestBadge')}</span>
        {settings}
        <a class="button small" href="/sign-in" onClick={onLinkClick}>
          {t('auth.signInLink')}
        </a>
      </div>
    );
  }
  if (view.kind === 'guest') {
    return (
      <div class="site-account" aria-label={t('auth.account')} role="group">
        {settings}
      </div>
    );
  }
  return null;
}
