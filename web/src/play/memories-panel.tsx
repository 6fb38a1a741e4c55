import { useState } from 'preact/hooks';
import { unwrap, type Memory, type MemoryKind } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { EditableList, type ItemViewProps } from './editable-list.js';
import { ItemActions, type ItemFields } from './item-form.js';

const KINDS: MemoryKind[] = ['fact', 'event', 'summary', 'card'];

interface Draft {
  text: string;
  importance: number;
  kind: MemoryKind;
  pinned: boolean;
}

const toDraft = (m?: Memory): Draft => (m ? { text: m.text, importance: m.importance, kind: m.kind, pinned: m.pinned } : { text: '', importance: 5, kind: 'fact', pinned: false });

const memoryFields: ItemFields<Draft> = {
  formClass: 'memory-form',
  ready: (d) => Boolean(d.text.trim()),
  Inputs({ draft, set }) {
    const { t } = useI18n();
    return (
      <>
        <label class="field">
          <span>{t('memories.text')}</span>
          <textarea rows={2} maxLength={2000} value={draft.text} onInput={(e) => set({ text: e.currentTarget.value })} />
        </label>
        <div class="field-row">
          <label class="field">
            <span>{t('memories.importance')}</span>
            <input type="number" min={1} max={10} value={draft.importance} onInput={(e) => set({ importance: Number(e.currentTarget.value) || 5 })} />
          </label>
          <label class="field">
            <span>{t('memories.kind')}</span>
            <select value={draft.kind} onChange={(e) => set({ kind: e.currentTarget.value as MemoryKind })}>
              {KINDS.map((k) => (
                <option value={k}>{t(`memories.kind.${k}`)}</option>
              ))}
            </select>
          </label>
          <label class="check">
            <input type="checkbox" checked={draft.pinned} onChange={(e) => set({ pinned: e.currentTarget.checked })} />
            <span>{t('memories.pin')}</span>
          </label>
        </div>
      </>
    );
  },
};

function MemoryItem({ item: memory, edit, remove, changed, sessionId }: ItemViewProps<Memory> & { sessionId: string }) {
  const { t } = useI18n();
  const togglePin = async () => {
    const path = { id: sessionId, memoryId: memory.id };
    await call(() => unwrap(memory.pinned ? drama.api.DELETE('/api/sessions/{id}/memories/{memoryId}/pin', { params: { path } }) : drama.api.PUT('/api/sessions/{id}/memories/{memoryId}/pin', { params: { path } })));
    changed();
  };
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
        <ItemActions onEdit={edit} onDelete={remove}>
          <button type="button" class="tool" onClick={() => void togglePin()} aria-pressed={memory.pinned}>
            {memory.pinned ? t('memories.unpin') : t('memories.pin')}
          </button>
        </ItemActions>
      </div>
    </li>
  );
}

export function MemoriesPanel({ sessionId, refreshKey }: { sessionId: string; refreshKey: number }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [state, reload] = useAsync(
    () => call(() => unwrap(drama.api.GET('/api/sessions/{id}/memories', { params: { path: { id: sessionId }, query: { limit: 200, ...(q.trim() ? { q: q.trim() } : {}) } } }))).then((r) => r.memories),
    [sessionId, refreshKey, q],
  );
  const path = (m: Memory) => ({ id: sessionId, memoryId: m.id });
  return (
    <div class="memories">
      <label class="field">
        <span class="visually-hidden">{t('memories.search')}</span>
        <input type="search" placeholder={t('memories.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
      </label>
      <EditableList
        state={state}
        reload={reload}
        showLoading
        emptyText={t('memories.empty')}
        addText={t('memories.add')}
        itemClass="memory"
        fields={memoryFields}
        toDraft={toDraft}
        create={(d) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/memories', { params: { path: { id: sessionId } }, body: d })))}
        update={(m, d) => call(() => unwrap(drama.api.PATCH('/api/sessions/{id}/memories/{memoryId}', { params: { path: path(m) }, body: d })))}
        remove={(m) => call(() => unwrap(drama.api.DELETE('/api/sessions/{id}/memories/{memoryId}', { params: { path: path(m) } })))}
        renderItem={(p) => <MemoryItem {...p} sessionId={sessionId} />}
      />
    </div>
  );
}
