import { memo } from 'preact/compat';
import { useState } from 'preact/hooks';
import type { ActionKind, Turn } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { paragraphs } from '../lib/format.js';
import type { TimelineTurn } from './play-state.js';

export function PlayerLine({ action, input }: { action: ActionKind; input: string }) {
  const { t } = useI18n();
  const text = action === 'say' ? `“${input}”` : action === 'continue' ? '…' : input;
  return (
    <p class={`player-line kind-${action}`}>
      <span class="kind-badge">{t(`composer.kind.${action}`)}</span>
      <span class="player-text">{text}</span>
    </p>
  );
}

export function Prose({ text, className }: { text: string; className: string }) {
  return (
    <div class={className}>
      {paragraphs(text).map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

export interface TurnControls {
  busy: boolean;
  onUndo(): void;
  onRetry(): void;
  onFork(turnNo: number): void;
  onContext(turnNo: number): void;
}

function TurnBody({ turn, previousChoices }: { turn: Turn; previousChoices: { index: number; text: string }[] }) {
  const { t } = useI18n();
  const chosen = turn.decision.choice_index === null ? null : previousChoices.find((c) => c.index === turn.decision.choice_index);
  const moved = turn.turn_no === 0 || turn.decision.choice_index !== null;
  return (
    <>
      {turn.turn_no > 0 && <PlayerLine action={turn.action} input={turn.input} />}
      {turn.turn_no > 0 && <Prose className="narration" text={turn.response} />}
      {chosen && <p class="choice-taken">{t('play.chose', { choice: chosen.text })}</p>}
      {moved ? <Prose className="story-text" text={turn.updated_state.text} /> : <p class="story-waits">{t('play.waits')}</p>}
      {turn.updated_state.ended && <p class="the-end">{t('play.end')}</p>}
    </>
  );
}

/** One committed turn: the player's line, the narration, the story's text; its tools; its other versions. */
interface TurnViewProps {
  turn: TimelineTurn;
  versions: TimelineTurn[] | undefined;
  previousChoices: { index: number; text: string }[];
  /** The last turn on the timeline, with no turn running: it can be undone and retried. */
  isLast: boolean;
  controls: TurnControls;
}

export const TurnView = memo(function TurnView({ turn, versions, previousChoices, isLast, controls }: TurnViewProps) {
  const { t } = useI18n();
  const activeIndex = versions ? Math.max(0, versions.findIndex((v) => v.task_id === turn.task_id)) : 0;
  const [shown, setShown] = useState<number | null>(null);
  const index = shown ?? activeIndex;
  const visible = versions?.[index] ?? turn;
  const label = turn.turn_no === 0 ? t('play.opening') : `#${turn.turn_no}`;
  return (
    <article class={visible.state === 'replaced' ? 'turn replaced' : 'turn'} aria-label={label} data-turn={turn.turn_no}>
      <TurnBody turn={visible} previousChoices={previousChoices} />
      <div class="turn-tools" role="toolbar" aria-label={t('turn.actions', { n: turn.turn_no })}>
        {versions && versions.length > 1 && (
          <span class="versions">
            <button type="button" class="icon-button small" disabled={index === 0} onClick={() => setShown(index - 1)} aria-label={t('turn.prevAlt')}>
              ‹
            </button>
            <span class="versions-label" aria-live="polite">
              {t('turn.alternative', { i: index + 1, n: versions.length })} · {visible.state === 'replaced' ? t('turn.replaced') : t('turn.current')}
            </span>
            <button type="button" class="icon-button small" disabled={index === versions.length - 1} onClick={() => setShown(index + 1)} aria-label={t('turn.nextAlt')}>
              ›
            </button>
          </span>
        )}
        {turn.turn_no > 0 && (
          <button type="button" class="tool" onClick={() => controls.onContext(turn.turn_no)}>
            {t('turn.context')}
          </button>
        )}
        <button type="button" class="tool" onClick={() => controls.onFork(turn.turn_no)} disabled={controls.busy}>
          {t('turn.fork')}
        </button>
        {isLast && turn.turn_no > 0 && (
          <>
            <button type="button" class="tool" onClick={controls.onUndo} disabled={controls.busy}>
              {t('turn.undo')}
            </button>
            <button type="button" class="tool" onClick={controls.onRetry} disabled={controls.busy}>
              {t('turn.retry')}
            </button>
          </>
        )}
      </div>
    </article>
  );
});
