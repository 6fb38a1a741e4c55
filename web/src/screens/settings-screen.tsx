/**
 * `/settings`: narrator model (from the server's list), temperature, passage length, interface
 * language, and the player's own provider keys.
 * @module
 */
import { useState } from 'preact/hooks';
import { unwrap, type UserSettings as Settings } from '../../../sdk/index.js';
import { LoadNote } from '../components/error-note.js';
import { LANGS, useI18n, type Lang } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { useAsync } from '../lib/use-async.js';
import { ProviderKeys } from '../settings/provider-keys.js';

type Length = NonNullable<Settings['passage_length']>;

function SettingsForm({ initial }: { initial: Settings }) {
  const { t, setLang } = useI18n();
  const [form, setForm] = useState(initial);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => (setForm({ ...form, [k]: v }), setNote(null));
  const save = async () => {
    try {
      const body = { narrator_model: form.narrator_model, temperature: form.temperature, passage_length: form.passage_length, language: form.language };
      const saved = await call(() => unwrap(drama.api.PUT('/api/me/settings', { body })));
      setForm(saved);
      if (saved.language) setLang(saved.language);
      setNote({ ok: true, text: t('prefs.saved') });
    } catch (err) {
      setNote({ ok: false, text: errorMessage(err) });
    }
  };
  const value = (e: Event) => (e.currentTarget as HTMLSelectElement | HTMLInputElement).value;
  return (
    <form class="settings-form" onSubmit={(e) => (e.preventDefault(), void save())}>
      <label>
        {t('prefs.model')}
        <select value={form.narrator_model ?? ''} onChange={(e) => set('narrator_model', value(e) || null)}>
          <option value="">{t('prefs.model.default')}</option>
          {form.allowed_models.map((m) => (
            <option value={m}>{m}</option>
          ))}
        </select>
      </label>
      <label>
        {t('prefs.temperature')} <output>{form.temperature ?? t('prefs.temperature.default')}</output>
        <input type="range" min="0" max="2" step="0.05" value={form.temperature ?? 1} onInput={(e) => set('temperature', Number(value(e)))} />
      </label>
      {form.temperature !== null && (
        <button type="button" class="button small quiet" onClick={() => set('temperature', null)}>
          {t('prefs.temperature.default')}
        </button>
      )}
      <label>
        {t('prefs.length')}
        <select value={form.passage_length ?? ''} onChange={(e) => set('passage_length', (value(e) || null) as Length | null)}>
          <option value="">{t('prefs.length.default')}</option>
          {(['short', 'medium', 'long'] as const).map((l) => (
            <option value={l}>{t(`prefs.length.${l}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('prefs.language')}
        <select value={form.language ?? ''} onChange={(e) => set('language', (value(e) || null) as Lang | null)}>
          <option value="">—</option>
          {LANGS.map((l) => (
            <option value={l.id} lang={l.html}>
              {l.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="button primary">
        {t('prefs.save')}
      </button>
      {note && (
        <p class={note.ok ? 'muted' : 'error-text'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
    </form>
  );
}

export function SettingsScreen() {
  const { t } = useI18n();
  const [state, reload] = useAsync(() => call(() => unwrap(drama.api.GET('/api/me/settings'))), []);
  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  return (
    <div class="page">
      <h1>{t('prefs.title')}</h1>
      <p class="lede">{t('prefs.lede')}</p>
      <SettingsForm initial={state.value} />
      <ProviderKeys enabled={state.value.provider_keys} />
    </div>
  );
}
