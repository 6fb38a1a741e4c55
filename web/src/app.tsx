/**
 * The shell: signs in (an account, a guest, or the sign-in screen; see lib/auth.ts), provides the
 * language, and shows the screen for the URL.
 * @module
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Header } from './components/header.js';
import { ErrorNote } from './components/error-note.js';
import { I18nContext, initialLang, saveLang, translator, type Lang } from './i18n/index.js';
import { auth } from './lib/api.js';
import { errorMessage } from './lib/format.js';
import { navigate, useRoute } from './lib/router.js';
import { useAuthView } from './lib/use-auth.js';
import { LazyAnalyticsScreen } from './screens/lazy-analytics-screen.js';
import { LibraryScreen } from './screens/library-screen.js';
import { PlayScreen } from './play/play-screen.js';
import { SessionsScreen } from './screens/sessions-screen.js';
import { SharedScreen } from './screens/shared-screen.js';
import { JoinScreen } from './screens/join-screen.js';
import { SignInScreen } from './screens/sign-in-screen.js';
import { EditStoryScreen } from './screens/edit-story-screen.js';
import { StoryScreen } from './screens/story-screen.js';
import { UploadScreen } from './screens/upload-screen.js';
import { SettingsScreen } from './screens/settings-screen.js';
import { savedLanguage, saveLanguage } from './settings/server-settings.js';

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const view = useAuthView();
  const signedIn = view.kind === 'account' || view.kind === 'guest';
  // A choice made here is saved to the account too; the saved one wins on load.
  const i18n = useMemo(() => ({ lang, t: translator(lang), setLang: (l: Lang) => (setLang(l), signedIn && saveLanguage(l)) }), [lang, signedIn]);
  useEffect(() => {
    if (signedIn) void savedLanguage().then((saved) => saved && setLang(saved));
  }, [signedIn]);
  const [claimSeen, setClaimSeen] = useState(false);
  const route = useRoute();

  useEffect(() => saveLang(lang), [lang]);
  // After a navigation, screen readers and Tab start from the new screen, not the old link.
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) firstRoute.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [route]);
  useEffect(() => {
    const titles = { library: 'nav.library', sessions: 'nav.sessions', upload: 'nav.upload', settings: 'nav.settings', 'sign-in': 'auth.signIn' } as const;
    // The play, story and analytics screens name the story themselves.
    if (route.name in titles) document.title = `${i18n.t(titles[route.name as keyof typeof titles])} · mock-drama`;
    else if (!['play', 'story', 'story-edit', 'analytics', 'shared'].includes(route.name)) document.title = 'mock-drama';
  }, [route, i18n]);
  // A shared transcript needs no sign-in: someone opening a link is not signed in (nor made a
  // guest) until they go elsewhere in the app.
  const started = useRef(false);
  const onShared = route.name === 'shared';
  useEffect(() => {
    if (onShared || started.current) return;
    started.current = true;
    void auth.start();
  }, [onShared]);
  // Signed in with an account on the sign-in page: go on to the library (a guest comes here to sign in).
  const account = view.kind === 'account';
  useEffect(() => {
    if (account && route.name === 'sign-in') navigate('/');
  }, [account, route]);

  const { t } = i18n;
  let screen;
  if (route.name === 'shared') screen = <SharedScreen key={route.token} token={route.token} />;
  else if (view.kind === 'pending') screen = <p class="muted center" role="status">{t('auth.signingIn')}</p>;
  else if (view.kind === 'error') screen = <ErrorNote message={t('auth.failed', { message: errorMessage(view.error) })} onRetry={() => void auth.start()} />;
  else if (view.kind === 'signed-out' || route.name === 'sign-in') screen = <SignInScreen />;
  else if (route.name === 'library') screen = <LibraryScreen />;
  else if (route.name === 'sessions') screen = <SessionsScreen />;
  else if (route.name === 'upload') screen = <UploadScreen />;
  else if (route.name === 'settings') screen = <SettingsScreen />;
  else if (route.name === 'story') screen = <StoryScreen key={route.storyId} storyId={route.storyId} />;
  else if (route.name === 'story-edit') screen = <EditStoryScreen key={route.storyId} storyId={route.storyId} />;
  else if (route.name === 'analytics') screen = <LazyAnalyticsScreen key={route.storyId} storyId={route.storyId} />;
  else if (route.name === 'play') screen = <PlayScreen key={route.sessionId} sessionId={route.sessionId} />;
  else if (route.name === 'join') screen = <JoinScreen key={route.code} code={route.code} />;
  else screen = <ErrorNote message="404" />;

  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Header route={route} view={view} />
      <main id="main" tabIndex={-1} class={route.name === 'play' ? 'main main-play' : 'main'}>
        {view.kind === 'account' && view.claimed && !claimSeen && (
          <div class="notice" role="status">
            <span>{t('auth.claimed', { sessions: view.claimed.sessions, stories: view.claimed.stories })}</span>
            <button type="button" class="button small" onClick={() => setClaimSeen(true)}>
              {t('auth.dismiss')}
            </button>
          </div>
        )}
        {screen}
      </main>
    </I18nContext.Provider>
  );
}
