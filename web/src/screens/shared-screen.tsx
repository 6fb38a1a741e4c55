/**
 * A shared transcript at `/s/:token`, readable without signing in (the API asks no token): the
 * passages, the player's inputs, the choices taken and offered, tags. A revoked or unknown link
 * says so.
 * @module
 */
import { useEffect } from 'preact/hooks';
import { isDramaApiError, type SharedTranscript } from '../../../sdk/index.js';
import { ErrorNote, LoadNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { drama } from '../lib/api.js';
import { paragraphs } from '../lib/format.js';
import { useAsync } from '../lib/use-async.js';

type SharedTurn = SharedTranscript['turns'][number];

function SharedTurnView({ turn }: { turn: SharedTurn }) {
  const { t } = useI18n();
  return (
    <section class="shared-turn" aria-label={turn.turn_no === 0 ? t('shared.opening') : t('shared.turn', { n: turn.turn_no })}>
      {turn.input && (
        <p class="shared-input">
          <span class="tag">{turn.action}</span> {turn.input}
        </p>
      )}
      {turn.choice_taken && <p class="muted">{t('shared.choice', { text: turn.choice_taken.text })}</p>}
      {paragraphs(turn.narration).map((p) => (
        <p class="narration">{p}</p>
      ))}
      {paragraphs(turn.passage).map((p) => (
        <p class="passage">{p}</p>
      ))}
      {turn.tags.length > 0 && (
        <p class="muted">
          {turn.tags.map((tag) => (
            <span class="tag">{tag}</span>
          ))}
        </p>
      )}
    </section>
  );
}

export function SharedScreen({ token }: { token: string }) {
  const { t } = useI18n();
  // No `call()`: there is no credential to recover, and none is needed.
  const [state, reload] = useAsync(() => drama.readShared(token), [token]);
  const title = state.status === 'ok' ? state.value.story_title : null;
  useEffect(() => {
    if (title) document.title = `${title} · mock-drama`;
  }, [title]);
  if (state.status === 'error' && isDramaApiError(state.error) && state.error.status === 404) return <ErrorNote message={t('shared.gone')} />;
  if (state.status !== 'ok') return <LoadNote state={state} onRetry={reload} />;
  const { turns, ended } = state.value;
  const offered = turns.at(-1)?.choices_offered ?? [];
  return (
    <article class="page narrow shared">
      <p class="muted">{t('shared.label')}</p>
      <h1>{state.value.story_title}</h1>
      {turns.map((turn) => (
        <SharedTurnView key={turn.turn_no} turn={turn} />
      ))}
      {ended && <p class="muted">{t('shared.end')}</p>}
      {!ended && offered.length > 0 && (
        <>
          <h2>{t('shared.offered')}</h2>
          <ul>
            {offered.map((c) => (
              <li key={c.index}>{c.text}</li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
