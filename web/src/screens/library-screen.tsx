import { unwrap, type SessionSummary, type Story } from '../../../sdk/index.js';
import { LoadNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { BrowseStories } from '../library/browse-stories.js';
import { MyStories } from '../library/my-stories.js';
import { call, drama } from '../lib/api.js';
import { timeAgo } from '../lib/format.js';
import { onLinkClick } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';

async function loadMine(): Promise<{ mine: Story[]; recent: SessionSummary | null }> {
  const [mine, sessions] = await Promise.all([
    call(() => unwrap(drama.api.GET('/api/stories', { params: { query: { scope: 'mine', sort: 'newest' } } }))),
    call(() => unwrap(drama.api.GET('/api/sessions', { params: { query: { limit: 1 } } }))).catch(() => ({ sessions: [] })),
  ]);
  return { mine: mine.stories, recent: sessions.sessions.find((s) => s.status === 'active') ?? null };
}

export function LibraryScreen() {
  const { t } = useI18n();
  const [state, reload] = useAsync(loadMine, []);
  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  const { mine, recent } = state.value;
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
      <BrowseStories key={mine.map((s) => `${s.id}${s.visibility}${s.title}`).join()} />
      <MyStories stories={mine} onChanged={reload} />
    </div>
  );
}
