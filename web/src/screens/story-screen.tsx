import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { unwrap } from '../../../sdk/index.js';
import { ErrorNote, LoadNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, currentUserId, drama } from '../lib/api.js';
import { paragraphs, timeAgo } from '../lib/format.js';
import { fromStory } from '../lib/ink-files.js';
import { inkTeaser } from '../lib/ink-teaser.js';
import { navigate, onLinkClick } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';
import { useAuthView } from '../lib/use-auth.js';

/** The "new session" screen: a story's title and opening lines, Begin, and earlier sessions of it. */
export function StoryScreen({ storyId }: { storyId: string }) {
  const { t } = useI18n();
  const [state, reload] = useAsync(async () => {
    const [story, sessions] = await Promise.all([
      call(() => unwrap(drama.api.GET('/api/stories/{id}', { params: { path: { id: storyId } } }))),
      call(() => unwrap(drama.api.GET('/api/sessions', { params: { query: { limit: 200 } } }))).catch(() => ({ sessions: [] })),
    ]);
    return { story, sessions: sessions.sessions.filter((s) => s.story_id === storyId) };
  }, [storyId]);
  const [starting, setStarting] = useState<'idle' | 'busy' | Error>('idle');
  const view = useAuthView();

  const begin = async () => {
    setStarting('busy');
    try {
      const created = await call(() => unwrap(drama.api.POST('/api/sessions', { body: { story_id: storyId } })));
      navigate(`/play/${created.session_id}`);
    } catch (err) {
      setStarting(err instanceof Error ? err : new Error(String(err)));
    }
  };

  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  const { story, sessions } = state.value;
  document.title = `${story.title} · mock-drama`;
  return (
    <div class="page narrow">
      <a class="back-link" href="/" onClick={onLinkClick}>
        ← {t('nav.library')}
      </a>
      <h1 class="story-title">{story.title}</h1>
      {story.owner_id !== null && story.owner_id === currentUserId() && (
        <p>
          <a href={`/stories/${encodeURIComponent(storyId)}/analytics`} onClick={onLinkClick}>
            {t('story.analytics')}
          </a>
        </p>
      )}
      {story.source && (
        <blockquote class="teaser">
          {paragraphs(inkTeaser(story.source)).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </blockquote>
      )}
      <div class="begin-row">
        <button type="button" class="button primary large" onClick={begin} disabled={starting === 'busy'}>
          {starting === 'busy' ? t('story.starting') : t('story.begin')}
        </button>
      </div>
      {starting instanceof Error && <ErrorNote error={starting} />}
      {'userId' in view && view.userId === story.owner_id && (
        <p class="author-links">
          <a href={`/stories/${story.id}/edit`} onClick={onLinkClick}>
            {t('story.edit')}
          </a>
        </p>
      )}
      <section aria-labelledby="story-sessions">
        <h2 id="story-sessions">{t('story.yourSessions')}</h2>
        {sessions.length === 0 ? (
          <p class="muted">{t('story.noSessions')}</p>
        ) : (
          <ul class="session-list">
            {sessions.map((s) => (
              <li key={s.session_id}>
                <a href={`/play/${s.session_id}`} onClick={onLinkClick}>
                  {t('library.turn', { n: s.turn_no })} · {timeAgo(s.updated_at, t)}
                </a>
                <span class="muted session-preview">{s.preview}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {story.source && (
        <details class="source-details">
          <summary>
            {t('story.source')} · {t('story.version', { v: story.version.slice(0, 8) })}
          </summary>
          {fromStory(story).files.map((f) => (
            <Fragment key={f.name}>
              {story.files && <h3 class="file-heading">{f.name}</h3>}
              <pre class="ink-source">{f.text}</pre>
            </Fragment>
          ))}
        </details>
      )}
    </div>
  );
}
