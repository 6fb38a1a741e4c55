/**
 * Public stories in the library, searched (title, any script) and sorted by the server, a page at
 * a time: the browser never holds the whole catalogue.
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import { unwrap, type Story } from '../../../sdk/index.js';
import { LoadNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { onLinkClick } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';
import { StoryCover } from '../play/passage-media.js';

type Sort = 'newest' | 'title' | 'played';
const PAGE = 24;

function StoryCard({ story }: { story: Story }) {
  const { t } = useI18n();
  return (
    <li class="story-card">
      <a href={`/stories/${story.id}`} onClick={onLinkClick} class="story-card-link">
        <StoryCover url={story.cover_url} title={story.title} />
        <span class="story-card-title">{story.title}</span>
        <span class="story-card-meta">{story.owner_id === null ? t('library.shipped') : t('story.version', { v: story.version.slice(0, 8) })}</span>
        <span class="story-card-cta" aria-hidden="true">
          {t('library.play')} →
        </span>
      </a>
    </li>
  );
}

async function page(q: string, sort: Sort, cursor?: string) {
  const query = { scope: 'public' as const, sort, limit: PAGE, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) };
  return call(() => unwrap(drama.api.GET('/api/stories', { params: { query } })));
}

export function BrowseStories() {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort>('title');
  const [more, setMore] = useState<{ stories: Story[]; next: string | null } | null>(null);
  // Ask the server once typing pauses, not for every key.
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const [state, reload] = useAsync(() => page(q, sort).then((r) => (setMore(null), r)), [q, sort]);
  const loadMore = async (cursor: string) => {
    const next = await page(q, sort, cursor);
    setMore((m) => ({ stories: [...(m?.stories ?? []), ...next.stories], next: next.next_cursor }));
  };
  const stories = state.status === 'ok' ? [...state.value.stories, ...(more?.stories ?? [])] : [];
  const cursor = more ? more.next : state.status === 'ok' ? state.value.next_cursor : null;
  return (
    <section class="shelf" aria-label={t('library.browse')}>
      <h2>{t('library.browse')}</h2>
      <div class="library-tools">
        <input type="search" aria-label={t('library.search')} placeholder={t('library.search')} value={typed} onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} />
        <label>
          {t('library.sort')}{' '}
          <select value={sort} onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as Sort)}>
            <option value="title">{t('library.sort.title')}</option>
            <option value="newest">{t('library.sort.newest')}</option>
            <option value="played">{t('library.sort.played')}</option>
          </select>
        </label>
      </div>
      {state.status !== 'ok' ? (
        <LoadNote state={state} onRetry={reload} />
      ) : stories.length === 0 ? (
        <p class="muted">{q ? t('library.noMatch', { q }) : t('library.empty')}</p>
      ) : (
        <ul class="story-grid">
          {stories.map((s) => (
            <StoryCard story={s} key={s.id} />
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="button small" onClick={() => void loadMore(cursor)}>
          {t('library.more')}
        </button>
      )}
    </section>
  );
}
