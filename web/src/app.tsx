/**
 * The shell: signs in as a guest, provides the language, and shows the screen for the URL.
 * @module
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Header } from './components/header.js';
import { ErrorNote } from './components/error-note.js';
import { I18nContext, initialLang, saveLang, translator, type Lang } from './i18n/index.js';
import { ensureSignedIn } from './lib/api.js';
import { errorMessage } from './lib/format.js';
import { useRoute } from './lib/router.js';
import { LibraryScreen } from './screens/library-screen.js';
import { PlayScreen } from './play/play-screen.js';
import { SessionsScreen } from './screens/sessions-screen.js';
import { StoryScreen } from './screens/story-screen.js';
import { UploadScreen } from './screens/upload-screen.js';

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const i18n = useMemo(() => ({ lang, t: translator(lang), setLang }), [lang]);
  const [auth, setAuth] = useState<'pending' | 'ready' | Error>('pending');
  const route = useRoute();

  useEffect(() => saveLang(lang), [lang]);
  // After a navigation, screen readers and Tab start from the new screen, not the old link.
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) firstRoute.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [route]);
  useEffect(() => {
    const titles = { library: 'nav.library', sessions: 'nav.sessions', upload: 'nav.upload' } as const;
    // The play and story screens name the story themselves.
    if (route.name in titles) document.title = `${i18n.t(titles[route.name as keyof typeof titles])} · mock-drama`;
    else if (route.name !== 'play' && route.name !== 'story') document.title = 'mock-drama';
  }, [route, i18n]);
  const signIn = () => {
    setAuth('pending');
    ensureSignedIn().then(
      () => setAuth('ready'),
      (err: unknown) => setAuth(err instanceof Error ? err : new Error(String(err))),
    );
  };
  useEffect(signIn, []);

  const { t } = i18n;
  let screen;
  if (auth === 'pending') screen = <p class="muted center" role="status">{t('auth.signingIn')}</p>;
  else if (auth instanceof Error) screen = <ErrorNote message={t('auth.failed', { message: errorMessage(auth) })} onRetry={signIn} />;
  else if (route.name === 'library') screen = <LibraryScreen />;
  else if (route.name === 'sessions') screen = <SessionsScreen />;
  else if (route.name === 'upload') screen = <UploadScreen />;
  else if (route.name === 'story') screen = <StoryScreen key={route.storyId} storyId={route.storyId} />;
  else if (route.name === 'play') screen = <PlayScreen key={route.sessionId} sessionId={route.sessionId} />;
  else screen = <ErrorNote message="404" />;

  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Header route={route} />
      <main id="main" tabIndex={-1} class={route.name === 'play' ? 'main main-play' : 'main'}>
        {screen}
      </main>
    </I18nContext.Provider>
  );
}
