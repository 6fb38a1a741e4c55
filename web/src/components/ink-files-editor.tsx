/**
 * The editor for a story of one or several ink files: a row of files (the compiled one marked, each
 * with its count of compile errors), the open file in the line-numbered editor, and for the open file
 * its name, "make main" and "remove". Files opened from disk join the story (several at once).
 * @module
 */
import { useEffect, useImperativeHandle, useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import { useI18n } from '../i18n/index.js';
import {
  addFile,
  errorFile,
  fileNameProblem,
  nextFileName,
  openFiles,
  removeFile,
  renameFile,
  setText,
  type CompileError,
  type InkFileSet,
} from '../lib/ink-files.js';
import { InkEditor, type InkEditorHandle } from './ink-editor.js';

export interface InkFilesEditorHandle {
  goTo(file: string, line: number): void;
}

interface Props {
  value: InkFileSet;
  onChange(value: InkFileSet): void;
  errors: CompileError[];
  /** Opening files from disk replaces the set instead of adding to it (the starter text is untouched). */
  replaceOnOpen: boolean;
  /** After files were opened from disk, with the set they made. */
  onOpened?(value: InkFileSet): void;
  describedBy?: string;
  handle: Ref<InkFilesEditorHandle>;
}

export function InkFilesEditor({ value, onChange, errors, replaceOnOpen, onOpened, describedBy, handle }: Props) {
  const { t } = useI18n();
  const [active, setActive] = useState(value.main);
  const [pendingLine, setPendingLine] = useState<number | null>(null);
  const editor = useRef<InkEditorHandle>(null);
  const file = value.files.find((f) => f.name === active) ?? value.files.find((f) => f.name === value.main)!;

  useImperativeHandle(handle, () => ({
    goTo(name: string, line: number) {
      // The open file: select at once; another: once its text is in the editor.
      if (name === file.name) return editor.current?.goToLine(line);
      setActive(name);
      setPendingLine(line);
    },
  }));
  // After switching files the textarea holds the other file's text only once rendered.
  useEffect(() => {
    if (pendingLine === null) return;
    editor.current?.goToLine(pendingLine);
    setPendingLine(null);
  }, [pendingLine, file.name]);

  const errorsIn = (name: string) => errors.filter((e) => errorFile(e, value) === name);
  const add = () => {
    const name = nextFileName(value);
    onChange(addFile(value, { name, text: '' }));
    setActive(name);
  };
  const open = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const opened = await Promise.all([...(input.files ?? [])].map(async (f) => ({ name: f.name, text: await f.text() })));
    input.value = '';
    const next = openFiles(value, opened, replaceOnOpen);
    onChange(next);
    onOpened?.(next);
    setActive(opened.length === 1 ? opened[0]!.name : next.main);
  };

  return (
    <div class="ink-files">
      <div class="file-tabs" role="group" aria-label={t('editor.files')}>
        {value.files.map((f) => {
          const count = errorsIn(f.name).length;
          return (
            <button key={f.name} type="button" class="file-tab" aria-pressed={f.name === file.name} onClick={() => setActive(f.name)}>
              {f.name}
              {f.name === value.main && value.files.length > 1 && <span class="file-badge">{t('editor.main')}</span>}
              {count > 0 && <span class="file-badge danger">{t(count === 1 ? 'upload.error' : 'upload.errors', { n: count })}</span>}
            </button>
          );
        })}
        <button type="button" class="button small" onClick={add}>
          + {t('editor.addFile')}
        </button>
        <label class="button small file-button">
          {t('upload.file')}
          <input type="file" multiple accept=".ink,.txt,text/plain" onChange={open} class="visually-hidden" />
        </label>
      </div>
      {value.files.length > 1 && <FileBar key={file.name} set={value} name={file.name} onChange={onChange} onRenamed={setActive} />}
      <InkEditor
        id="ink-source"
        value={file.text}
        onInput={(text) => onChange(setText(value, file.name, text))}
        errorLines={new Set(errorsIn(file.name).map((e) => e.line))}
        label={`${t('upload.source')}: ${file.name}`}
        {...(describedBy ? { describedBy } : {})}
        handle={editor}
      />
    </div>
  );
}

/** The open file's name (renamed once valid and left), "make main" and "remove". */
function FileBar({ set, name, onChange, onRenamed }: { set: InkFileSet; name: string; onChange(v: InkFileSet): void; onRenamed(name: string): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(name);
  const problem = draft === name ? null : fileNameProblem(draft, set, name);
  const commit = () => {
    const next = draft.trim();
    if (next === name || fileNameProblem(next, set, name)) return;
    onChange(renameFile(set, name, next));
    onRenamed(next);
  };
  return (
    <div class="file-bar">
      <label class="field">
        <span>{t('editor.fileName')}</span>
        <input
          value={draft}
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'file-name-problem' : undefined}
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commit())}
        />
      </label>
      {problem && (
        <span id="file-name-problem" class="field-problem" role="alert">
          {t(`editor.nameProblem.${problem}`)}
        </span>
      )}
      {name !== set.main && (
        <>
          <button type="button" class="button small" onClick={() => onChange({ ...set, main: name })}>
            {t('editor.makeMain')}
          </button>
          <button type="button" class="button small danger" onClick={() => (onChange(removeFile(set, name)), onRenamed(set.main))}>
            {t('editor.removeFile')}
          </button>
        </>
      )}
    </div>
  );
}
