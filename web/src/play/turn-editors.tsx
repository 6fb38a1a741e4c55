/**
 * Editing in place: a passage's narration (saved with PATCH …/turns/{n}) and the last turn's
 * action (played again with an edited retry). Plain textareas with explicit buttons: Enter adds a
 * line, so an input method's Enter never saves half a word.
 * @module
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ActionKind } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';

const KINDS: ActionKind[] = ['do', 'say', 'story', 'continue'];

function useFocusOnMount() {
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

export function PassageEditor({ text, onSave, onCancel }: { text: string; onSave(text: string): Promise<void>; onCancel(): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(text);
  const [saving, setSaving] = useState(false);
  const area = useFocusOnMount();
  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    try {
      await onSave(draft.trim());
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="inline-editor" onSubmit={save} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <textarea ref={area} value={draft} rows={Math.min(12, Math.max(3, draft.split('\n').length + 1))} maxLength={20_000} aria-label={t('turn.editPassage')} onInput={(e) => setDraft((e.currentTarget as HTMLTextAreaElement).value)} />
      <div class="inline-editor-actions">
        <button type="submit" class="button small primary" disabled={saving || draft.trim() === '' || draft.trim() === text.trim()}>
          {t('turn.save')}
        </button>
        <button type="button" class="button small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function ActionEditor({ input, action, onRetry, onCancel }: { input: string; action: ActionKind; onRetry(input: string, action: ActionKind): void; onCancel(): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(input);
  const [kind, setKind] = useState(action);
  const area = useFocusOnMount();
  const ready = kind === 'continue' || draft.trim() !== '';
  return (
    <form
      class="inline-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onRetry(draft.trim(), kind);
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <label class="field">
        <span>{t('composer.kind')}</span>
        <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as ActionKind)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`composer.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <textarea ref={area} value={draft} rows={3} aria-label={t('turn.editAction')} onInput={(e) => setDraft((e.currentTarget as HTMLTextAreaElement).value)} />
      <div class="inline-editor-actions">
        <button type="submit" class="button small primary" disabled={!ready}>
          {t('turn.retryWith')}
        </button>
        <button type="button" class="button small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
