import { unwrap, type SessionSummary, type Story } from '../../../sdk/index.js';
import { LoadNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, currentUserId, drama } from '../lib/api.js';
import { timeAgo } from '../lib/format.js';
import { onLinkClick } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';

async function loadLibrary(): Promise<{ stories: Story[]; recent: SessionSummary | null }> {
  const [stories, sessions] = await Promise.all([
    call(() => unwrap(drama.api.GET('/api/stories'))),
    call(() => unwrap(drama.api.GET('/api/sessions', { params: { query: { limit: 1 } } }))).catch(() => ({ sessions: [] })),
  ]);
  return { stories: stories.stories, recent: sessions.sessions.find((s) => s.status === 'active') ?? null };
}

function StoryCard({ story }: { story: Story }) {
  const { t } = useI18n();
  return (
    <li class="story-card">
      <a href={`/stories/${story.id}`} onClick={onLinkClick} class="story-card-link">
        <span class="story-card-title">{story.title}</span>
        <span class="story-card-meta">{t('story.version', { v: story.version.slice(0, 8) })}</span>
        <span class="story-card-cta" aria-hidden="true">
          {t('library.play')} →
        </span>
      </a>
    </li>
  );
}

function Shelf({ title, stories, empty }: { title: string; stories: Story[]; empty?: string }) {
  if (stories.length === 0 && !empty) return null;
  return (
    <section class="shelf" aria-label={title}>
      <h2>{title}</h2>
      {stories.length === 0 ? <p class="muted">{empty}</p> : <ul class="story-grid">{stories.map((s) => <StoryCard story={s} key={s.id} />)}</ul>}
    </section>
  );
}

export function LibraryScreen() {
  const { t } = useI18n();
  const [state, reload] = useAsync(loadLibrary, []);
  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  const { stories, recent } = state.value;
  const me = currentUserId();
  return (
    <div class="page">
      <div class="hero">
        <h1>{t('library.title')}</h1>
        <p class="lede">{t('app.tagline')}</p>
      </div>
      {recent && (
        <a class="resume-banner" href={`/play/${recent.session_id}`} onClick={onLinkClick}>
          <span class="resume-label">{t('library.continue')}</span>
          <span class="resume-title">{recent.story_title ?? t('sessions.untitled')}</span>
          <span class="muted">
            {t('library.turn', { n: recent.turn_no })} · {timeAgo(recent.updated_at, t)}
          </span>
        </a>
      )}
      <Shelf title={t('library.shipped')} stories={stories.filter((s) => s.owner_id === null)} empty={t('library.empty')} />
      <Shelf title={t('library.mine')} stories={stories.filter((s) => s.owner_id !== null && s.owner_id === me)} empty={t('library.mineEmpty')} />
      <Shelf title={t('library.others')} stories={stories.filter((s) => s.owner_id !== null && s.owner_id !== me)} />
    </div>
  );
}
