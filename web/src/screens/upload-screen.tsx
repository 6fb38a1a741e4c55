import { useRef, useState } from 'preact/hooks';
import { isDramaApiError, unwrap } from '../../../sdk/index.js';
import { ErrorNote } from '../components/error-note.js';
import { InkEditor, type InkEditorHandle } from '../components/ink-editor.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { navigate } from '../lib/router.js';

interface CompileError {
  line: number;
  message: string;
}

const STARTER = `# title: A Door in the Fog
VAR courage = 0

You wake on a jetty. The fog is so thick that the sea is only a sound.
* [Call out] Nobody answers, but something moves.
  -> door
* [Wait] The fog thins enough to show a door, standing alone on the boards.
  -> door

=== door ===
The door is warm to the touch.
* [Open it] -> END
* [Walk away] -> END
`;

function compileErrors(err: unknown): CompileError[] {
  if (!isDramaApiError(err, 'ink_compile_error') || !Array.isArray(err.details)) return [];
  return (err.details as Partial<CompileError>[]).filter((d): d is CompileError => typeof d.line === 'number' && typeof d.message === 'string');
}

/** The title from the ink's `# title:` tag, else the file name. */
function titleOf(source: string, fallback: string): string {
  return /^#\s*title:\s*(.+)$/im.exec(source)?.[1]?.trim() || fallback;
}

export function UploadScreen() {
  const { t } = useI18n();
  const [source, setSource] = useState(STARTER);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<CompileError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const editor = useRef<InkEditorHandle>(null);

  const openFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    const text = await file.text();
    setSource(text);
    setTitle(titleOf(text, file.name.replace(/\.ink$/i, '')));
    setErrors([]);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors([]);
    setFailure(null);
    try {
      const story = await call(() => unwrap(drama.api.POST('/api/stories', { body: { title: title.trim() || titleOf(source, 'Untitled'), source } })));
      navigate(`/stories/${story.id}`);
    } catch (err) {
      const lines = compileErrors(err);
      if (lines.length > 0) setErrors(lines);
      else setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const errorLines = new Set(errors.map((e) => e.line));
  return (
    <form class="page upload" onSubmit={submit}>
      <h1>{t('upload.title')}</h1>
      <p class="muted" id="upload-intro">
        {t('upload.intro')}
      </p>
      <div class="field-row">
        <label class="field grow">
          <span>{t('upload.storyTitle')}</span>
          <input value={title} placeholder={titleOf(source, '')} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} maxLength={200} />
        </label>
        <label class="button file-button">
          {t('upload.file')}
          <input type="file" accept=".ink,.txt,text/plain" onChange={openFile} class="visually-hidden" />
        </label>
      </div>
      <InkEditor id="ink-source" value={source} onInput={setSource} errorLines={errorLines} label={t('upload.source')} describedBy="upload-intro" handle={editor} />
      {errors.length > 0 && (
        <div class="compile-errors" role="alert">
          <h2>{t(errors.length === 1 ? 'upload.error' : 'upload.errors', { n: errors.length })}</h2>
          <ul>
            {errors.map((e) => (
              <li>
                <button type="button" class="link-button" onClick={() => editor.current?.goToLine(e.line)} aria-label={`${t('upload.goToLine', { line: e.line })}: ${e.message}`}>
                  {t('upload.lineError', { line: e.line, message: e.message })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {failure && <ErrorNote error={failure} />}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy || source.trim() === ''}>
          {busy ? t('upload.compiling') : t('upload.submit')}
        </button>
      </div>
    </form>
  );
}
