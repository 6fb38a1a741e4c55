/**
 * Sign in or sign up: email + password, a magic link, the operator's OAuth providers, and
 * (when the server takes guests) playing as a guest. Messages from the identity provider are
 * shown as it words them.
 * @module
 */
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { auth } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { navigate } from '../lib/router.js';

const PROVIDER_NAMES: Record<string, string> = { github: 'GitHub', google: 'Google', gitlab: 'GitLab', discord: 'Discord', apple: 'Apple', azure: 'Microsoft', twitter: 'X', facebook: 'Facebook', bitbucket: 'Bitbucket', slack: 'Slack' };
const providerName = (id: string) => PROVIDER_NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1);

type Outcome = { kind: 'error'; message: string } | { kind: 'info'; message: string } | null;

export function SignInScreen() {
  const { t } = useI18n();
  const config = auth.config;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(() => (auth.redirectError ? { kind: 'error', message: auth.redirectError } : null));

  const run = async (work: () => Promise<string | void>) => {
    setBusy(true);
    setOutcome(null);
    auth.redirectError = null;
    try {
      const info = await work();
      if (info) setOutcome({ kind: 'info', message: info });
    } catch (err) {
      setOutcome({ kind: 'error', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const needEmail = () => {
    if (email.trim() === '') throw new Error(t('auth.needEmail'));
    return email.trim();
  };
  const needPassword = () => {
    if (password.length < 6) throw new Error(t('auth.needPassword'));
    return password;
  };
  const signIn = (e: Event) => {
    e.preventDefault();
    void run(() => auth.signInWithPassword(needEmail(), needPassword()));
  };
  const signUp = () => run(async () => ((await auth.signUp(needEmail(), needPassword())) === 'confirm' ? t('auth.confirmSent', { email: email.trim() }) : undefined));
  const magicLink = () => run(async () => (await auth.sendMagicLink(needEmail()), t('auth.magicSent', { email: email.trim() })));

  return (
    <section class="page sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('auth.title')}</h1>
      {config?.supabase && (
        <>
          <p class="muted">{t('auth.intro')}</p>
          <form class="sign-in-form" onSubmit={signIn} aria-busy={busy}>
            <label class="field">
              <span>{t('auth.email')}</span>
              <input type="email" name="email" autoComplete="email" required value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <label class="field">
              <span>{t('auth.password')}</span>
              <input type="password" name="password" autoComplete="current-password" value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <div class="form-actions">
              <button type="submit" class="button primary" disabled={busy}>
                {t('auth.signIn')}
              </button>
              <button type="button" class="button" disabled={busy} onClick={signUp}>
                {t('auth.signUp')}
              </button>
              <button type="button" class="link-button" disabled={busy} onClick={magicLink}>
                {t('auth.magicLink')}
              </button>
            </div>
          </form>
          {config.supabase.oauth_providers.length > 0 && (
            <div class="sign-in-providers">
              <p class="muted">{t('auth.or')}</p>
              {config.supabase.oauth_providers.map((p) => (
                <button type="button" class="button" disabled={busy} onClick={() => run(() => auth.signInWithProvider(p))}>
                  {t('auth.provider', { provider: providerName(p) })}
                </button>
              ))}
            </div>
          )}
        </>
      )}
      {outcome && (
        <p class={outcome.kind === 'error' ? 'error-text' : 'muted'} role={outcome.kind === 'error' ? 'alert' : 'status'}>
          {outcome.message}
        </p>
      )}
      {config?.guests && (
        <div class="sign-in-guest">
          <button type="button" class="button" disabled={busy} onClick={() => run(async () => (await auth.playAsGuest(), location.pathname === '/sign-in' ? navigate('/') : undefined))}>
            {t('auth.guest')}
          </button>
          <p class="muted small">{t('auth.guestHint')}</p>
        </div>
      )}
    </section>
  );
}
