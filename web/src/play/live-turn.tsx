import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import type { LiveTurn as LiveTurnState } from './play-state.js';
import { Narration, PlayerLine } from './turn-view.js';

function StatusLine({ live }: { live: LiveTurnState }) {
  const { t } = useI18n();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (live.status !== 'retrying') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [live.status]);
  const reason = live.error?.message ?? live.error?.code ?? '';
  const over = live.status === 'failed' || live.status === 'cancelled';
  const text =
    live.status === 'retrying'
      ? t('play.status.retrying', { s: Math.max(0, Math.ceil(((live.retryAt ?? now) - now) / 1000)), reason })
      : live.status === 'failed'
        ? t('play.status.failed', { reason })
        : t(`play.status.${live.status}`);
  return (
    <p class={`turn-status status-${live.status}`} data-status={live.status}>
      {!over && <span class="pulse" aria-hidden="true" />}
      <span>{text}</span>
      {live.attempt > 1 && live.status !== 'retrying' && <span class="muted"> · {t('play.status.attempt', { n: live.attempt })}</span>}
    </p>
  );
}

/** The turn being played: what the player sent, the narration as it streams in, and the status. */
export function LiveTurn({ live, onDismiss, onResend }: { live: LiveTurnState; onDismiss(): void; onResend(): void }) {
  const { t } = useI18n();
  const writing = live.status === 'writing' || live.status === 'thinking';
  // Failed or stopped: nothing was committed; the player may send it again or move on.
  const over = live.status === 'failed' || live.status === 'cancelled';
  return (
    <article class={`turn live${over ? ` ${live.status}` : ''}`} aria-busy={!over} data-task={live.taskId}>
      <PlayerLine action={live.action} input={live.input} userId={live.userId} />
      {live.text && <Narration className={writing ? 'narration streaming' : 'narration'} text={live.text} />}
      <div role="status" aria-live="polite">
        <StatusLine live={live} />
      </div>
      {over && (
        <div class="turn-tools">
          <button type="button" class="tool" onClick={onResend}>
            {t('play.failed.resend')}
          </button>
          <button type="button" class="tool" onClick={onDismiss}>
            {t('play.failed.dismiss')}
          </button>
        </div>
      )}
    </article>
  );
}
