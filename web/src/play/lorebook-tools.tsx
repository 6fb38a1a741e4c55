/**
 * "Import lorebook…" and, for a story, "Export (SillyTavern)": the import sends the chosen file as
 * it is (the server tells its format from the content) and shows what was imported and what was
 * skipped, and why; the export downloads the story's cards as World Info.
 * @module
 */
import { useState } from 'preact/hooks';
import { unwrap, type LorebookImport } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';

export type LoreScope = { kind: 'story' | 'session'; id: string };

function importFile(scope: LoreScope, file: File): Promise<LorebookImport> {
  const form = () => {
    const body = new FormData();
    body.append('file', file);
    // The generated body type describes the form's fields; openapi-fetch sends a FormData as it is.
    return body as never;
  };
  const params = { path: { id: scope.id } };
  return call(() =>
    unwrap(scope.kind === 'story' ? drama.api.POST('/api/stories/{id}/cards/import', { params, body: form() }) : drama.api.POST('/api/sessions/{id}/cards/import', { params, body: form() })),
  );
}

/** Download the story's cards as a SillyTavern World Info file. */
async function exportStory(storyId: string): Promise<void> {
  const res = await call(async () => {
    const r = await drama.api.GET('/api/stories/{id}/cards/export', { params: { path: { id: storyId }, query: { format: 'sillytavern' } }, parseAs: 'blob' });
    return { blob: await unwrap(Promise.resolve(r)), disposition: r.response.headers.get('content-disposition') ?? '' };
  });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(res.blob as Blob);
  link.download = /filename="([^"]+)"/.exec(res.disposition)?.[1] ?? 'lorebook.json';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function LorebookTools({ scope, onImported, canImport = true }: { scope: LoreScope; onImported(): void; canImport?: boolean }) {
  const { t } = useI18n();
  const [report, setReport] = useState<LorebookImport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const onFile = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setReport(null);
    void run(async () => {
      setReport(await importFile(scope, file));
      onImported();
    });
  };
  return (
    <div class="lorebook-tools">
      {canImport && (
        <label class="link-button">
          {t('lore.import')}
          <input type="file" accept=".json,.lorebook,.png,application/json,image/png" hidden disabled={busy} onChange={onFile} />
        </label>
      )}
      {scope.kind === 'story' && (
        <button type="button" class="link-button" disabled={busy} onClick={() => void run(() => exportStory(scope.id))}>
          {t('lore.export')}
        </button>
      )}
      {error && <p class="form-error" role="alert">{error}</p>}
      {report && (
        <div class="lorebook-report" role="status">
          <p>{t('lore.imported', { n: report.imported.length, format: report.format })}</p>
          {report.skipped.length > 0 && (
            <details>
              <summary>{t('lore.skipped', { n: report.skipped.length })}</summary>
              <ul>
                {report.skipped.map((s) => (
                  <li key={s.source}>
                    <strong>{s.name ?? s.source}</strong>: {s.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </div>
  );
}
