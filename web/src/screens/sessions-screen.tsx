import { useState } from 'preact/hooks';
import { unwrap, type SessionDocument, type SessionSummary } from '../../../sdk/index.js';
import { LoadNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage, timeAgo } from '../lib/format.js';
import { navigate, onLinkClick } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';

function SessionRow({ session, onDelete }: { session: SessionSummary; onDelete: () => void }) {
  const { t } = useI18n();
  const title = session.story_title ?? t('sessions.untitled');
  return (
    <li class="session-row">
      <div class="session-row-main">
        <a href={`/play/${session.session_id}`} onClick={onLinkClick} class="session-row-title">
          {title}
        </a>
        <span class="muted">
          {t('library.turn', { n: session.turn_no })} · {t('sessions.updated', { when: timeAgo(session.updated_at, t) })}
          {session.status === 'ended' && <span class="tag">{t('sessions.ended')}</span>}
          {session.role !== 'owner' && <span class="tag">{t(`players.joinedAs.${session.role}`)}</span>}
        </span>
        <p class="session-preview">{session.preview}</p>
      </div>
      <div class="session-row-actions">
        <a class="button" href={`/play/${session.session_id}`} onClick={onLinkClick} aria-label={`${t('sessions.resume')}: ${title}`}>
          {t('sessions.resume')}
        </a>
        {session.role === 'owner' && (
          <button type="button" class="button quiet" onClick={onDelete} aria-label={`${t('sessions.delete')}: ${title}`}>
            {t('common.delete')}
          </button>
        )}
      </div>
    </li>
  );
}

/** A file input for an exported session (.json): imported as a new session, which then opens. */
function ImportButton() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const doc = JSON.parse(await file.text()) as SessionDocument;
      const imported = await call(() => drama.importSession(doc));
      navigate(`/play/${imported.session_id}`);
    } catch (err) {
      setProblem(t('sessions.importFailed', { message: errorMessage(err) }));
      setBusy(false);
    }
  };
  return (
    <div class="import-session">
      <label class="button">
        {busy ? t('sessions.importing') : t('sessions.import')}
        <input type="file" accept=".json,application/json" class="visually-hidden" disabled={busy} onChange={(e) => void onFile(e.currentTarget)} />
      </label>
      {problem && (
        <p role="alert" class="error-text">
          {problem}
        </p>
      )}
    </div>
  );
}

export function SessionsScreen() {
  const { t } = useI18n();
  const [state, reload] = useAsync(() => call(() => unwrap(drama.api.GET('/api/sessions', { params: { query: { limit: 200 } } }))), []);
  const remove = async (id: string) => {
    if (!confirm(t('sessions.confirmDelete'))) return;
    await call(() => unwrap(drama.api.DELETE('/api/sessions/{id}', { params: { path: { id } } })));
    reload();
  };
  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  const { sessions } = state.value;
  return (
    <div class="page narrow">
      <h1>{t('sessions.title')}</h1>
      <ImportButton />
      {sessions.length === 0 ? (
        <p class="muted">
          {t('sessions.empty')}{' '}
          <a href="/" onClick={onLinkClick}>
            {t('nav.library')}
          </a>
        </p>
      ) : (
        <ul class="session-rows">
          {sessions.map((s) => (
            <SessionRow key={s.session_id} session={s} onDelete={() => void remove(s.session_id)} />
          ))}
        </ul>
      )}
    </div>
  );
}
