/**
 * The player's own provider keys: the masked hint of each, replace, remove. The key itself goes to
 * the server once and is never shown again.
 * @module
 */
import { useState } from 'preact/hooks';
import { unwrap } from '../../../sdk/index.js';
import { LoadNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { useAsync } from '../lib/use-async.js';

type Provider = 'openai' | 'anthropic' | 'openai-compatible';
const PROVIDERS: { id: Provider; label: string }[] = [
  { id: 'openai', label: 'OpenAI' },
  { id: 'anthropic', label: 'Anthropic' },
  { id: 'openai-compatible', label: 'OpenAI-compatible' },
];

function KeyRow({ provider, label, hint, onChanged }: { provider: Provider; label: string; hint: string | null; onChanged(): void }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await call(work);
      setKey('');
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const path = { params: { path: { provider } } };
  const store = () => run(() => unwrap(drama.api.PUT('/api/me/provider-keys/{provider}', { ...path, body: { api_key: key, ...(baseUrl ? { base_url: baseUrl } : {}) } })));
  const remove = () => run(() => unwrap(drama.api.DELETE('/api/me/provider-keys/{provider}', path)));
  return (
    <li class="provider-key" data-provider={provider}>
      <strong>{label}</strong> <code class="key-hint">{hint ?? t('prefs.keys.none')}</code>
      <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void store())}>
        <input type="password" autoComplete="off" aria-label={`${label} ${t('prefs.keys.key')}`} placeholder={t('prefs.keys.key')} value={key} onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)} />
        {provider === 'openai-compatible' && (
          <input type="url" aria-label={t('prefs.keys.baseUrl')} placeholder="https://…/v1" value={baseUrl} onInput={(e) => setBaseUrl((e.currentTarget as HTMLInputElement).value)} />
        )}
        <button type="submit" class="button small" disabled={key.trim().length < 8}>
          {hint ? t('prefs.keys.replace') : t('prefs.keys.store')}
        </button>
        {hint && (
          <button type="button" class="button small quiet" onClick={() => void remove()}>
            {t('prefs.keys.remove')}
          </button>
        )}
      </form>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export function ProviderKeys({ enabled }: { enabled: boolean }) {
  const { t } = useI18n();
  const [state, reload] = useAsync(() => (enabled ? call(() => unwrap(drama.api.GET('/api/me/provider-keys'))) : Promise.resolve({ keys: [] })), [enabled]);
  return (
    <section class="shelf" aria-label={t('prefs.keys')}>
      <h2>{t('prefs.keys')}</h2>
      {!enabled ? (
        <p class="muted">{t('prefs.keys.disabled')}</p>
      ) : state.status !== 'ok' ? (
        <LoadNote state={state} onRetry={reload} />
      ) : (
        <>
          <p class="muted">{t('prefs.keys.lede')}</p>
          <ul class="provider-keys">
            {PROVIDERS.map((p) => (
              <KeyRow key={p.id} provider={p.id} label={p.label} hint={state.value.keys.find((k) => k.provider === p.id)?.hint ?? null} onChanged={reload} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
