import { unwrap } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { single } from '../lib/ink-files.js';
import { StorySourceForm } from './story-source-form.js';

const STARTER = `# title: A Door in the Fog
VAR courage = 0

You wake on a jetty. The fog is so thick that the sea is only a sound.
* [Call out] Nobody answers, but something moves.
  -> door
* [Wait] The fog thins enough to show a door, standing alone on the boards.
  -> door

=== door ===
The door is warm to the touch.
* [Open it] -> END
* [Walk away] -> END
`;

const STARTER_FILES = single(STARTER);

/** A new story: one file or several, compiled on the server. */
export function UploadScreen() {
  const { t } = useI18n();
  return (
    <StorySourceForm
      heading={t('upload.title')}
      intro={t('upload.intro')}
      initial={STARTER_FILES}
      isNew
      submitLabel={t('upload.submit')}
      save={async (body) => (await call(() => unwrap(drama.api.POST('/api/stories', { body: { title: body.title ?? 'Untitled', ...body } })))).id}
    />
  );
}
