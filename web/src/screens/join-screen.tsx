import { useEffect, useState } from 'preact/hooks';
import { isDramaApiError, unwrap } from '../../../sdk/index.js';
import { ErrorNote } from '../components/error-note.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { navigate } from '../lib/router.js';

/** `/join/:code`: join a shared session with an invite link, then play (or watch) it. */
export function JoinScreen({ code }: { code: string }) {
  const { t } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    call(() => unwrap(drama.api.POST('/api/invites/{code}/join', { params: { path: { code } } })))
      .then((joined) => navigate(`/play/${joined.session_id}`))
      .catch((err: unknown) => {
        if (isDramaApiError(err, 'invite_expired')) setFailure(t('join.expired'));
        else if (isDramaApiError(err, 'invite_used_up')) setFailure(t('join.usedUp'));
        else if (isDramaApiError(err, 'session_full')) setFailure(t('join.full'));
        else if (isDramaApiError(err, 'not_found')) setFailure(t('join.unknown'));
        else setFailure(errorMessage(err));
      });
  }, [code]);
  return failure ? <ErrorNote message={failure} /> : <p class="muted center" role="status">{t('join.joining')}</p>;
}
