/**
 * Steering the narrator of this session (PATCH /api/sessions/{id}): the author's note, who the
 * player is, and the player's own instructions. They apply from the next turn; the context viewer
 * shows where each went.
 * @module
 */
import { useId, useState } from 'preact/hooks';
import { unwrap, type Session } from '../../../sdk/index.js';
import { ErrorNote } from '../components/error-note.js';
import { useI18n, type MessageKey } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';

const MAX = 2_000;

function Field({ label, hint, value, onInput, rows }: { label: MessageKey; hint: MessageKey; value: string; onInput(v: string): void; rows: number }) {
  const { t } = useI18n();
  const id = useId();
  const length = [...value].length;
  const common = { id, value, maxLength: MAX, 'aria-describedby': `${id}-hint` };
  return (
    <div class="field">
      <label for={id}>{t(label)}</label>
      {rows === 1 ? (
        <input {...common} onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)} />
      ) : (
        <textarea {...common} rows={rows} onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)} />
      )}
      <span id={`${id}-hint`} class="field-hint muted">
        {t(hint)} · {length}/{MAX}
      </span>
    </div>
  );
}

export function SteerPanel({ sessionId, session, onSaved }: { sessionId: string; session: Pick<Session, 'author_note' | 'persona' | 'instructions'>; onSaved(): void }) {
  const { t } = useI18n();
  const [note, setNote] = useState(session.author_note ?? '');
  const [name, setName] = useState(session.persona?.name ?? '');
  const [description, setDescription] = useState(session.persona?.description ?? '');
  const [instructions, setInstructions] = useState(session.instructions ?? '');
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | Error>('idle');
  const save = async (e: Event) => {
    e.preventDefault();
    setStatus('saving');
    try {
      const body = { author_note: note, persona: name.trim() || description.trim() ? { name, description } : null, instructions };
      await call(() => unwrap(drama.api.PATCH('/api/sessions/{id}', { params: { path: { id: sessionId } }, body })));
      setStatus('saved');
      onSaved();
    } catch (err) {
      setStatus(new Error(errorMessage(err)));
    }
  };
  return (
    <form class="steer-panel" onSubmit={save} onInput={() => status === 'saved' && setStatus('idle')}>
      <p class="muted">{t('steer.intro')}</p>
      <Field label="steer.note" hint="steer.noteHint" value={note} onInput={setNote} rows={4} />
      <Field label="steer.personaName" hint="steer.personaNameHint" value={name} onInput={setName} rows={1} />
      <Field label="steer.personaDescription" hint="steer.personaDescriptionHint" value={description} onInput={setDescription} rows={3} />
      <Field label="steer.instructions" hint="steer.instructionsHint" value={instructions} onInput={setInstructions} rows={3} />
      {status instanceof Error && <ErrorNote error={status} />}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={status === 'saving'}>
          {t('common.save')}
        </button>
        {status === 'saved' && (
          <span role="status" class="muted">
            {t('steer.saved')}
          </span>
        )}
      </div>
    </form>
  );
}
