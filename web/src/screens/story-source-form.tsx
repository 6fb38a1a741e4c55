/**
 * The form that writes a story's ink, one file or several: used to upload a new story and to publish a
 * new version of one. Compile errors are listed by file and line; each jumps to its place.
 * @module
 */
import { useRef, useState } from 'preact/hooks';
import { isDramaApiError } from '../../../sdk/index.js';
import { ErrorNote } from '../components/error-note.js';
import { InkFilesEditor, type InkFilesEditorHandle } from '../components/ink-files-editor.js';
import { useI18n } from '../i18n/index.js';
import { errorMessage } from '../lib/format.js';
import { errorFile, mainText, toUpload, type CompileError, type InkFileSet, type InkUpload } from '../lib/ink-files.js';
import { navigate } from '../lib/router.js';

function compileErrors(err: unknown): CompileError[] {
  if (!isDramaApiError(err, 'ink_compile_error') || !Array.isArray(err.details)) return [];
  return (err.details as Partial<CompileError>[]).filter((d): d is CompileError => typeof d.line === 'number' && typeof d.message === 'string');
}

/** The title from the ink's `# title:` tag, else the fallback. */
export function titleOf(source: string, fallback: string): string {
  return /^#\s*title:\s*(.+)$/im.exec(source)?.[1]?.trim() || fallback;
}

interface Props {
  heading: string;
  intro: string;
  initial: InkFileSet;
  /** True for a new story, whose starter text a file opened from disk replaces. */
  isNew: boolean;
  submitLabel: string;
  /** A story's title now (new versions): the placeholder, kept when the field is left empty. */
  currentTitle?: string;
  /** Saves and answers the story id to show next. */
  save(body: InkUpload & { title?: string }): Promise<string>;
}

export function StorySourceForm({ heading, intro, initial, isNew, submitLabel, currentTitle, save }: Props) {
  const { t } = useI18n();
  const [files, setFiles] = useState(initial);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<CompileError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const editor = useRef<InkFilesEditorHandle>(null);
  const suggestedTitle = titleOf(mainText(files), '');

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors([]);
    setFailure(null);
    try {
      const named = title.trim() || (isNew ? suggestedTitle || files.main.replace(/\.ink$/i, '') : '');
      navigate(`/stories/${await save({ ...toUpload(files), ...(named ? { title: named } : {}) })}`);
    } catch (err) {
      const lines = compileErrors(err);
      if (lines.length > 0) setErrors(lines);
      else setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const several = files.files.length > 1;
  return (
    <form class="page upload" onSubmit={submit}>
      <h1>{heading}</h1>
      <p class="muted" id="upload-intro">
        {intro}
      </p>
      <label class="field">
        <span>{t('upload.storyTitle')}</span>
        <input value={title} placeholder={currentTitle ?? suggestedTitle} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} maxLength={200} />
      </label>
      <InkFilesEditor value={files} onChange={setFiles} errors={errors} replaceOnOpen={isNew && files === initial}
        onOpened={(opened) => isNew && title === '' && setTitle(titleOf(mainText(opened), opened.main.replace(/\.ink$/i, '')))}
        describedBy="upload-intro" handle={editor} />
      {errors.length > 0 && (
        <div class="compile-errors" role="alert">
          <h2>{t(errors.length === 1 ? 'upload.error' : 'upload.errors', { n: errors.length })}</h2>
          <ul>
            {errors.map((e) => {
              const file = errorFile(e, files);
              const where = several ? t('upload.fileLine', { file, line: e.line }) : t('upload.goToLine', { line: e.line });
              return (
                <li>
                  <button type="button" class="link-button" onClick={() => editor.current?.goTo(file, e.line)} aria-label={`${where}: ${e.message}`}>
                    {several ? t('upload.fileLineError', { file, line: e.line, message: e.message }) : t('upload.lineError', { line: e.line, message: e.message })}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {failure && <ErrorNote error={failure} />}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy || files.files.every((f) => f.text.trim() === '')}>
          {busy ? t('upload.compiling') : submitLabel}
        </button>
      </div>
    </form>
  );
}
