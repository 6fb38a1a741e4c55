import { useState } from 'preact/hooks';
import { unwrap, type Card, type InkCard } from '../../../sdk/index.js';
import { ErrorNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { useAsync } from '../lib/use-async.js';

interface CardDraft {
  name: string;
  keywords: string;
  text: string;
}

const toDraft = (c?: Card): CardDraft => ({ name: c?.name ?? '', keywords: c?.keywords.join(', ') ?? '', text: c?.text ?? '' });
const toBody = (d: CardDraft) => ({ name: d.name.trim(), keywords: d.keywords.split(',').map((k) => k.trim()).filter(Boolean), text: d.text.trim() });

function CardForm({ initial, submitLabel, onSave, onCancel }: { initial: CardDraft; submitLabel: string; onSave(d: CardDraft): Promise<void>; onCancel?: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof CardDraft) => (e: Event) => setDraft({ ...draft, [key]: (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!draft.name.trim() || !draft.text.trim()) return;
    try {
      await onSave(draft);
      setDraft(initial);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form class="card-form" onSubmit={submit}>
      <label class="field">
        <span>{t('cards.name')}</span>
        <input value={draft.name} maxLength={400} onInput={set('name')} />
      </label>
      <label class="field">
        <span>{t('cards.keywords')}</span>
        <input value={draft.keywords} onInput={set('keywords')} />
      </label>
      <label class="field">
        <span>{t('cards.text')}</span>
        <textarea rows={3} maxLength={2000} value={draft.text} onInput={set('text')} />
      </label>
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

function ReadOnlyCard({ card, note }: { card: Card | InkCard; note?: string }) {
  return (
    <li class="lore-card">
      <p class="lore-name">
        {card.name} {note && <span class="tag">{note}</span>}
      </p>
      {card.keywords.length > 0 && <p class="lore-keywords">{card.keywords.join(' · ')}</p>}
      <p class="lore-text">{card.text}</p>
    </li>
  );
}

function SessionCard({ card, sessionId, onChanged }: { card: Card; sessionId: string; onChanged(): void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const path = { id: sessionId, cardId: card.id };
  if (editing) {
    return (
      <li class="lore-card editing">
        <CardForm
          initial={toDraft(card)}
          submitLabel={t('common.save')}
          onCancel={() => setEditing(false)}
          onSave={async (d) => {
            await call(() => unwrap(drama.api.PATCH('/api/sessions/{id}/cards/{cardId}', { params: { path }, body: toBody(d) })));
            setEditing(false);
            onChanged();
          }}
        />
      </li>
    );
  }
  return (
    <>
      <ReadOnlyCard card={card} />
      <li class="item-actions">
        <button type="button" class="tool" onClick={() => setEditing(true)} aria-label={`${t('common.edit')}: ${card.name}`}>
          {t('common.edit')}
        </button>
        <button
          type="button"
          class="tool danger"
          aria-label={`${t('common.delete')}: ${card.name}`}
          onClick={async () => {
            await call(() => unwrap(drama.api.DELETE('/api/sessions/{id}/cards/{cardId}', { params: { path } })));
            onChanged();
          }}
        >
          {t('common.delete')}
        </button>
      </li>
    </>
  );
}

export function CardsPanel({ sessionId, storyId }: { sessionId: string; storyId: string }) {
  const { t } = useI18n();
  const [session, reload] = useAsync(() => call(() => unwrap(drama.api.GET('/api/sessions/{id}/cards', { params: { path: { id: sessionId } } }))), [sessionId]);
  const [story] = useAsync(() => call(() => unwrap(drama.api.GET('/api/stories/{id}/cards', { params: { path: { id: storyId } } }))), [storyId]);
  return (
    <div class="cards">
      <h3>{t('cards.session')}</h3>
      {session.status === 'error' && <ErrorNote message={t('common.error', { message: errorMessage(session.error) })} onRetry={reload} />}
      {session.status === 'ok' &&
        (session.value.cards.length === 0 ? (
          <p class="muted">{t('cards.empty')}</p>
        ) : (
          <ul class="item-list">
            {session.value.cards.map((c) => (
              <SessionCard key={c.id} card={c} sessionId={sessionId} onChanged={reload} />
            ))}
          </ul>
        ))}
      <details class="add-block">
        <summary>{t('cards.add')}</summary>
        <CardForm
          initial={toDraft()}
          submitLabel={t('common.add')}
          onSave={async (d) => {
            await call(() => unwrap(drama.api.POST('/api/sessions/{id}/cards', { params: { path: { id: sessionId } }, body: toBody(d) })));
            reload();
          }}
        />
      </details>
      <h3>{t('cards.story')}</h3>
      {story.status === 'ok' &&
        (story.value.cards.length + story.value.ink_cards.length === 0 ? (
          <p class="muted">{t('cards.empty')}</p>
        ) : (
          <ul class="item-list">
            {story.value.cards.map((c) => (
              <ReadOnlyCard key={c.id} card={c} />
            ))}
            {story.value.ink_cards.map((c) => (
              <ReadOnlyCard key={c.name} card={c} note={t('cards.fromInk')} />
            ))}
          </ul>
        ))}
    </div>
  );
}
