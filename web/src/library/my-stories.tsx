/**
 * "Your stories" in the library: rename, make public or private, delete (with a second click to
 * confirm). A story that sessions still play is retired rather than removed (see the API).
 * @module
 */
import { useState } from 'preact/hooks';
import { unwrap, type Story } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { onLinkClick } from '../lib/router.js';

function MyStoryRow({ story, onChanged }: { story: Story; onChanged(): void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await call(work);
      setTitle(null);
      setConfirming(false);
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const patch = (body: { title?: string; visibility?: 'public' | 'private' }) =>
    act(() => unwrap(drama.api.PATCH('/api/stories/{id}', { params: { path: { id: story.id } }, body })));
  const remove = () => act(() => unwrap(drama.api.DELETE('/api/stories/{id}', { params: { path: { id: story.id } } })));
  const isPublic = story.visibility === 'public';
  return (
    <li class="my-story" data-story-id={story.id}>
      {title === null ? (
        <a href={`/stories/${story.id}`} onClick={onLinkClick} class="my-story-title">
          {story.title}
        </a>
      ) : (
        <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void patch({ title }))}>
          <input aria-label={t('library.titleLabel')} value={title} maxLength={200} required onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" class="button small" disabled={busy || title.trim() === ''}>
            {t('library.save')}
          </button>
          <button type="button" class="button small quiet" onClick={() => setTitle(null)}>
            {t('library.cancel')}
          </button>
        </form>
      )}
      <span class={isPublic ? 'badge badge-public' : 'badge'}>{isPublic ? t('library.public') : t('library.private')}</span>
      <span class="my-story-actions">
        {title === null && (
          <button type="button" class="button small quiet" onClick={() => setTitle(story.title)}>
            {t('library.rename')}
          </button>
        )}
        <button type="button" class="button small quiet" disabled={busy} onClick={() => void patch({ visibility: isPublic ? 'private' : 'public' })}>
          {isPublic ? t('library.makePrivate') : t('library.makePublic')}
        </button>
        {confirming ? (
          <button type="button" class="button small danger" disabled={busy} onClick={() => void remove()}>
            {t('library.confirmDelete')}
          </button>
        ) : (
          <button type="button" class="button small quiet" onClick={() => setConfirming(true)}>
            {t('library.delete')}
          </button>
        )}
      </span>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export function MyStories({ stories, onChanged }: { stories: Story[]; onChanged(): void }) {
  const { t } = useI18n();
  return (
    <section class="shelf" aria-label={t('library.mine')}>
      <h2>{t('library.mine')}</h2>
      {stories.length === 0 ? (
        <p class="muted">{t('library.mineEmpty')}</p>
      ) : (
        <ul class="my-stories">
          {stories.map((s) => (
            <MyStoryRow story={s} key={`${s.id}:${s.title}:${s.visibility}`} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}
