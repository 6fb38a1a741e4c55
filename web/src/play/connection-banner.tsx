import { useEffect, useState } from 'preact/hooks';
import type { StreamStatus } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';

/** Says so when live updates are interrupted (and that they will catch up). */
export function ConnectionBanner({ status }: { status: StreamStatus | null }) {
  const { t } = useI18n();
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    addEventListener('online', update);
    addEventListener('offline', update);
    return () => {
      removeEventListener('online', update);
      removeEventListener('offline', update);
    };
  }, []);
  let text: string | null = null;
  if (!online) text = t('play.conn.offline');
  else if (status?.state === 'reconnecting' && status.attempt > 0) text = t('play.conn.reconnecting');
  else if (status?.state === 'closed' && status.reason !== 'closed_by_client') text = t('play.conn.closed', { reason: status.reason ?? '' });
  return (
    <div class="connection" role="status" aria-live="polite" data-state={online ? (status?.state ?? 'connecting') : 'offline'} data-transport={status?.transport}>
      {text && <p class="connection-banner">{text}</p>}
    </div>
  );
}
