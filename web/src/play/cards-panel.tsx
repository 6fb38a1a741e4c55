import { unwrap, type Card, type InkCard } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { call, currentUserId, drama } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { EditableList, type ItemViewProps } from './editable-list.js';
import { ItemActions, type ItemFields } from './item-form.js';
import { LorebookTools } from './lorebook-tools.js';

interface CardDraft {
  name: string;
  keywords: string;
  text: string;
}

const toDraft = (c?: Card): CardDraft => ({ name: c?.name ?? '', keywords: c?.keywords.join(', ') ?? '', text: c?.text ?? '' });
const toBody = (d: CardDraft) => ({ name: d.name.trim(), keywords: d.keywords.split(',').map((k) => k.trim()).filter(Boolean), text: d.text.trim() });

const cardFields: ItemFields<CardDraft> = {
  formClass: 'card-form',
  ready: (d) => Boolean(d.name.trim() && d.text.trim()),
  Inputs({ draft, set }) {
    const { t } = useI18n();
    return (
      <>
        <label class="field">
          <span>{t('cards.name')}</span>
          <input value={draft.name} maxLength={400} onInput={(e) => set({ name: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('cards.keywords')}</span>
          <input value={draft.keywords} onInput={(e) => set({ keywords: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t('cards.text')}</span>
          <textarea rows={3} maxLength={2000} value={draft.text} onInput={(e) => set({ text: e.currentTarget.value })} />
        </label>
      </>
    );
  },
};

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

/** The buttons go in a row of their own under the card, named after it. */
function SessionCard({ item, edit, remove }: ItemViewProps<Card>) {
  return (
    <>
      <ReadOnlyCard card={item} />
      <li class="item-actions">
        <ItemActions name={item.name} onEdit={edit} onDelete={remove} />
      </li>
    </>
  );
}

export function CardsPanel({ sessionId, storyId }: { sessionId: string; storyId: string }) {
  const { t } = useI18n();
  const [session, reload] = useAsync(() => call(() => unwrap(drama.api.GET('/api/sessions/{id}/cards', { params: { path: { id: sessionId } } }))).then((r) => r.cards), [sessionId]);
  const [story, reloadStory] = useAsync(() => call(() => unwrap(drama.api.GET('/api/stories/{id}/cards', { params: { path: { id: storyId } } }))), [storyId]);
  // Only the story's owner may import into its cards; anyone who sees them may export them.
  const [owner] = useAsync(() => call(() => unwrap(drama.api.GET('/api/stories/{id}', { params: { path: { id: storyId } } }))).then((s) => s.owner_id), [storyId]);
  const path = (c: Card) => ({ id: sessionId, cardId: c.id });
  return (
    <div class="cards">
      <h3>{t('cards.session')}</h3>
      <EditableList
        state={session}
        reload={reload}
        emptyText={t('cards.empty')}
        addText={t('cards.add')}
        itemClass="lore-card"
        fields={cardFields}
        toDraft={toDraft}
        create={(d) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/cards', { params: { path: { id: sessionId } }, body: toBody(d) })))}
        update={(c, d) => call(() => unwrap(drama.api.PATCH('/api/sessions/{id}/cards/{cardId}', { params: { path: path(c) }, body: toBody(d) })))}
        remove={(c) => call(() => unwrap(drama.api.DELETE('/api/sessions/{id}/cards/{cardId}', { params: { path: path(c) } })))}
        renderItem={(p) => <SessionCard {...p} />}
      />
      <LorebookTools scope={{ kind: 'session', id: sessionId }} onImported={reload} />
      <h3>{t('cards.story')}</h3>
      <LorebookTools scope={{ kind: 'story', id: storyId }} onImported={reloadStory} canImport={owner.status === 'ok' && owner.value !== null && owner.value === currentUserId()} />
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
