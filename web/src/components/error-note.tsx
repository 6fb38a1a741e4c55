import { useI18n } from '../i18n/index.js';
import { errorMessage } from '../lib/format.js';
import type { AsyncState } from '../lib/use-async.js';

/** Either the words to show, or an error to show as "Something went wrong: …". */
type NoteProps = ({ message: string } | { error: unknown }) & { onRetry?: () => void };

/** An error the player can act on: the message and, when it makes sense, a retry button. */
export function ErrorNote(props: NoteProps) {
  const { t } = useI18n();
  const message = 'message' in props ? props.message : t('common.error', { message: errorMessage(props.error) });
  return (
    <div class="error-note" role="alert">
      <p>{message}</p>
      {props.onRetry && (
        <button type="button" class="button" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/**
 * What a screen shows until its data has come: "Loading…", or the error with a retry. Screens
 * return it while `state.status !== 'ok'`, so TypeScript knows the value is there after.
 */
export function LoadNote({ state, onRetry }: { state: Exclude<AsyncState<unknown>, { status: 'ok' }>; onRetry(): void }) {
  const { t } = useI18n();
  if (state.status === 'error') return <ErrorNote error={state.error} onRetry={onRetry} />;
  return <p class="muted center">{t('common.loading')}</p>;
}
