import { useState } from 'preact/hooks';
import { unwrap, type Memory, type MemoryKind } from '../../../sdk/index.js';
import { ErrorNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { useAsync } from '../lib/use-async.js';

const KINDS: MemoryKind[] = ['fact', 'event', 'summary', 'card'];

interface Draft {
  text: string;
  importance: number;
  kind: MemoryKind;
  pinned: boolean;
}

function MemoryForm({ initial, onSave, onCancel, submitLabel }: { initial: Draft; onSave(d: Draft): Promise<void>; onCancel?: () => void; submitLabel: string }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!draft.text.trim()) return;
    try {
      await onSave(draft);
      setDraft(initial);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form class="memory-form" onSubmit={submit}>
      <label class="field">
        <span>{t('memories.text')}</span>
        <textarea rows={2} maxLength={2000} value={draft.text} onInput={(e) => setDraft({ ...draft, text: (e.currentTarget as HTMLTextAreaElement).value })} />
      </label>
      <div class="field-row">
        <label class="field">
          <span>{t('memories.importance')}</span>
          <input type="number" min={1} max={10} value={draft.importance} onInput={(e) => setDraft({ ...draft, importance: Number((e.currentTarget as HTMLInputElement).value) || 5 })} />
        </label>
        <label class="field">
          <span>{t('memories.kind')}</span>
          <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: (e.currentTarget as HTMLSelectElement).value as MemoryKind })}>
            {KINDS.map((k) => (
              <option value={k}>{t(`memories.kind.${k}`)}</option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={draft.pinned} onChange={(e) => setDraft({ ...draft, pinned: (e.currentTarget as HTMLInputElement).checked })} />
          <span>{t('memories.pin')}</span>
        </label>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="form-actions">
        <button type="submit" class="button primary small">
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button quiet small" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function MemoryItem({ memory, sessionId, onChanged }: { memory: Memory; sessionId: string; onChanged(): void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const path = { id: sessionId, memoryId: memory.id };
  const togglePin = async () => {
    await call(() => unwrap(memory.pinned ? drama.api.DELETE('/api/sessions/{id}/memories/{memoryId}/pin', { params: { path } }) : drama.api.PUT('/api/sessions/{id}/memories/{memoryId}/pin', { params: { path } })));
    onChanged();
  };
  const remove = async () => {
    await call(() => unwrap(drama.api.DELETE('/api/sessions/{id}/memories/{memoryId}', { params: { path } })));
    onChanged();
  };
  if (editing) {
    return (
      <li class="memory editing">
        <MemoryForm
          initial={{ text: memory.text, importance: memory.importance, kind: memory.kind, pinned: memory.pinned }}
          submitLabel={t('common.save')}
          onCancel={() => setEditing(false)}
          onSave={async (d) => {
            await call(() => unwrap(drama.api.PATCH('/api/sessions/{id}/memories/{memoryId}', { params: { path }, body: d })));
            setEditing(false);
            onChanged();
          }}
        />
      </li>
    );
  }
  return (
    <li class={memory.pinned ? 'memory pinned' : 'memory'}>
      <p class="memory-text">{memory.text}</p>
      <p class="memory-meta">
        <span class="tag">{t(`memories.kind.${memory.kind}`)}</span>
        <span>{t('memories.fromTurn', { n: memory.turn_no })}</span>
        <span title={t('memories.importance')}>★ {memory.importance}</span>
        {memory.pinned && <span class="tag accent">{t('memories.pinned')}</span>}
      </p>
      <div class="item-actions">
        <button type="button" class="tool" onClick={() => void togglePin()} aria-pressed={memory.pinned}>
          {memory.pinned ? t('memories.unpin') : t('memories.pin')}
        </button>
        <button type="button" class="tool" onClick={() => setEditing(true)}>
          {t('common.edit')}
        </button>
        <button type="button" class="tool danger" onClick={() => void remove()}>
          {t('common.delete')}
        </button>
      </div>
    </li>
  );
}

export function MemoriesPanel({ sessionId, refreshKey }: { sessionId: string; refreshKey: number }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [state, reload] = useAsync(
    () => call(() => unwrap(drama.api.GET('/api/sessions/{id}/memories', { params: { path: { id: sessionId }, query: { limit: 200, ...(q.trim() ? { q: q.trim() } : {}) } } }))),
    [sessionId, refreshKey, q],
  );
  return (
    <div class="memories">
      <label class="field">
        <span class="visually-hidden">{t('memories.search')}</span>
        <input type="search" placeholder={t('memories.search')} value={q} onChange={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {state.status === 'loading' && <p class="muted">{t('common.loading')}</p>}
      {state.status === 'error' && <ErrorNote message={t('common.error', { message: errorMessage(state.error) })} onRetry={reload} />}
      {state.status === 'ok' &&
        (state.value.memories.length === 0 ? (
          <p class="muted">{t('memories.empty')}</p>
        ) : (
          <ul class="item-list">
            {state.value.memories.map((m) => (
              <MemoryItem key={m.id} memory={m} sessionId={sessionId} onChanged={reload} />
            ))}
          </ul>
        ))}
      <details class="add-block">
        <summary>{t('memories.add')}</summary>
        <MemoryForm
          initial={{ text: '', importance: 5, kind: 'fact', pinned: false }}
          submitLabel={t('common.add')}
          onSave={async (d) => {
            await call(() => unwrap(drama.api.POST('/api/sessions/{id}/memories', { params: { path: { id: sessionId } }, body: d })));
            reload();
          }}
        />
      </details>
    </div>
  );
}
