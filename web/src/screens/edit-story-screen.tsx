import { unwrap } from '../../../sdk/index.js';
import { LoadNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { fromStory } from '../lib/ink-files.js';
import { useAsync } from '../lib/use-async.js';
import { StorySourceForm } from './story-source-form.js';

/** A new version of one's own story: its files as last saved, published with PUT …/source. */
export function EditStoryScreen({ storyId }: { storyId: string }) {
  const { t } = useI18n();
  const [state, reload] = useAsync(() => call(() => unwrap(drama.api.GET('/api/stories/{id}', { params: { path: { id: storyId } } }))), [storyId]);
  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  const story = state.value;
  document.title = `${t('edit.title', { title: story.title })} · mock-drama`;
  return (
    <StorySourceForm
      heading={t('edit.title', { title: story.title })}
      intro={t('edit.intro')}
      initial={fromStory(story)}
      isNew={false}
      currentTitle={story.title}
      submitLabel={t('edit.submit')}
      save={async (body) => (await call(() => unwrap(drama.api.PUT('/api/stories/{id}/source', { params: { path: { id: storyId } }, body })))).id}
    />
  );
}
