/**
 * Export the session (JSON to import elsewhere, Markdown to read) and share a read-only link to
 * its transcript: the link is shown once after it is made (the server keeps only its hash), with
 * copy and revoke.
 * @module
 */
import { useState } from 'preact/hooks';
import { unwrap } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { downloadText, fileBase } from '../lib/download.js';
import { errorMessage, timeAgo } from '../lib/format.js';
import { useAsync } from '../lib/use-async.js';

export function SharePanel({ sessionId, title }: { sessionId: string; title: string }) {
  const { t } = useI18n();
  const path = { params: { path: { id: sessionId } } };
  const [status, reload] = useAsync(() => call(() => unwrap(drama.api.GET('/api/sessions/{id}/share', path))), [sessionId]);
  const [link, setLink] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const act = async (work: () => Promise<string | null>) => {
    setNote(null);
    try {
      setNote(await work());
    } catch (err) {
      setNote(t('share.failed', { message: errorMessage(err) }));
    }
  };
  const exportJson = () =>
    act(async () => {
      const doc = await call(() => drama.exportSession(sessionId));
      downloadText(JSON.stringify(doc, null, 2), `${fileBase(title)}.session.json`, 'application/json');
      return null;
    });
  const exportMarkdown = () =>
    act(async () => {
      const md = await call(() => unwrap(drama.api.GET('/api/sessions/{id}/export', { params: { path: { id: sessionId }, query: { format: 'markdown' } }, parseAs: 'text' })));
      downloadText(md as unknown as string, `${fileBase(title)}.md`, 'text/markdown');
      return null;
    });
  const share = () =>
    act(async () => {
      const made = await call(() => drama.shareSession(sessionId));
      // The web client's own page for the token, on the origin the player uses.
      setLink(`${location.origin}/s/${made.token}`);
      reload();
      return null;
    });
  const revoke = () =>
    act(async () => {
      await call(() => unwrap(drama.api.DELETE('/api/sessions/{id}/share', path)));
      setLink(null);
      reload();
      return t('share.revoked');
    });
  const copy = () =>
    act(async () => {
      await navigator.clipboard.writeText(link ?? '');
      return t('share.copied');
    });
  const live = status.status === 'ok' && status.value.shared;
  return (
    <div class="share-panel">
      <h3>{t('share.exportTitle')}</h3>
      <p class="muted">{t('share.exportHint')}</p>
      <div class="button-row">
        <button type="button" class="button small" onClick={() => void exportJson()}>
          {t('share.exportJson')}
        </button>
        <button type="button" class="button small" onClick={() => void exportMarkdown()}>
          {t('share.exportMarkdown')}
        </button>
      </div>
      <h3>{t('share.title')}</h3>
      <p class="muted">{t('share.hint')}</p>
      {link && (
        <label class="field">
          <span>{t('share.link')}</span>
          <input type="text" readOnly value={link} class="share-link" onFocus={(e) => e.currentTarget.select()} />
        </label>
      )}
      {!link && live && status.value.created_at && <p>{t('share.live', { when: timeAgo(status.value.created_at, t) })}</p>}
      <div class="button-row">
        <button type="button" class="button small" onClick={() => void share()}>
          {live ? t('share.renew') : t('share.create')}
        </button>
        {link && (
          <button type="button" class="button small" onClick={() => void copy()}>
            {t('share.copy')}
          </button>
        )}
        {live && (
          <button type="button" class="button small quiet" onClick={() => void revoke()}>
            {t('share.revoke')}
          </button>
        )}
      </div>
      {note && (
        <p role="status" class="muted">
          {note}
        </p>
      )}
    </div>
  );
}
