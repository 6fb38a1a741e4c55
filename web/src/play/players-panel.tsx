/**
 * Who plays this session with you: the owner invites players and spectators with a link, sees who
 * is online and removes people, and picks who acts when; a member renames themself or leaves. The
 * list reloads on member events (joined, left, online, offline) and is polled as a fallback.
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import { unwrap, type Member } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';
import { useAuthView } from '../lib/use-auth.js';

const POLL_MS = 10_000;

function InviteForm({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const [role, setRole] = useState<'player' | 'spectator'>('player');
  const [link, setLink] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const create = async () => {
    setNote(null);
    try {
      const invite = await call(() => unwrap(drama.api.POST('/api/sessions/{id}/invites', { params: { path: { id: sessionId } }, body: { role } })));
      setLink(`${location.origin}/join/${invite.code}`);
    } catch (err) {
      setNote(errorMessage(err));
    }
  };
  return (
    <div class="invite-form">
      <label class="field">
        <span>{t('players.inviteAs')}</span>
        <select
          value={role}
          onChange={(e) => {
            setRole((e.currentTarget as HTMLSelectElement).value as 'player' | 'spectator');
            // A link made for the other role must not stay on show, to be copied by mistake.
            setLink(null);
            setNote(null);
          }}
        >
          <option value="player">{t('players.role.player')}</option>
          <option value="spectator">{t('players.role.spectator')}</option>
        </select>
      </label>
      <button type="button" class="button small" onClick={create}>
        {t('players.createLink')}
      </button>
      {link && (
        <p class="button-row">
          <input class="share-link" readOnly value={link} aria-label={t('players.link')} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          <button type="button" class="button small" onClick={() => void navigator.clipboard.writeText(link).then(() => setNote(t('share.copied')))}>
            {t('turn.copy')}
          </button>
        </p>
      )}
      {note && <p role="status" class="muted">{note}</p>}
    </div>
  );
}

type TurnMode = 'free' | 'round' | 'vote';

/** The owner picks who acts when (PATCH /api/sessions/:id {turn_mode}); actions still waiting are dropped. */
function TurnModeSelect({ sessionId, mode, onChanged }: { sessionId: string; mode: TurnMode; onChanged(): void }) {
  const { t } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const change = async (next: TurnMode) => {
    setFailure(null);
    try {
      await call(() => unwrap(drama.api.PATCH('/api/sessions/{id}', { params: { path: { id: sessionId } }, body: { turn_mode: next } })));
      onChanged();
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };
  return (
    <label class="field">
      <span>{t('players.turnMode')}</span>
      <select value={mode} onChange={(e) => void change((e.currentTarget as HTMLSelectElement).value as TurnMode)}>
        {(['free', 'round', 'vote'] as const).map((m) => (
          <option key={m} value={m}>
            {t(`players.mode.${m}`)}
          </option>
        ))}
      </select>
      {failure && <span role="alert">{failure}</span>}
    </label>
  );
}

export function PlayersPanel({ sessionId, refreshKey, turnMode, onModeChanged }: { sessionId: string; refreshKey: number; turnMode: TurnMode | null; onModeChanged(): void }) {
  const { t } = useI18n();
  const view = useAuthView();
  const me = 'userId' in view ? view.userId : null;
  const path = { params: { path: { id: sessionId } } };
  const [state, reload] = useAsync(() => call(() => unwrap(drama.api.GET('/api/sessions/{id}/members', path))), [sessionId, refreshKey]);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);
  if (state.status !== 'ok') return <p class="muted">{t('common.loading')}</p>;
  const members: Member[] = state.value.members;
  const owner = members.find((m) => m.role === 'owner');
  const iOwn = owner?.user_id === me;
  const remove = async (userId: string) => {
    setFailure(null);
    try {
      await call(() => unwrap(drama.api.DELETE('/api/sessions/{id}/members/{user_id}', { params: { path: { id: sessionId, user_id: userId } } })));
      if (userId === me) navigate('/sessions');
      else reload();
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };
  return (
    <div class="players-panel">
      {iOwn && <InviteForm sessionId={sessionId} />}
      {iOwn && members.length > 1 && <TurnModeSelect sessionId={sessionId} mode={turnMode ?? 'free'} onChanged={onModeChanged} />}
      <ul class="member-list" aria-label={t('players.list')}>
        {members.map((m) => (
          <li key={m.user_id}>
            <span class={m.online ? 'presence online' : 'presence'} aria-label={m.online ? t('players.online') : t('players.offline')} />
            <span class="member-name">{m.display_name ?? (m.role === 'owner' ? t('players.owner') : `${t(`players.role.${m.role}`)} ${m.user_id.slice(0, 4)}`)}</span>
            <span class="muted">
              {t(`players.role.${m.role}`)}
              {m.user_id === me ? ` · ${t('players.you')}` : ''}
            </span>
            {m.role !== 'owner' && (iOwn || m.user_id === me) && (
              <button type="button" class="tool danger" onClick={() => void remove(m.user_id)}>
                {m.user_id === me ? t('players.leave') : t('players.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!iOwn && me && <RenameForm sessionId={sessionId} current={members.find((m) => m.user_id === me)?.display_name ?? ''} onDone={reload} />}
      {failure && <p role="alert">{failure}</p>}
    </div>
  );
}

function RenameForm({ sessionId, current, onDone }: { sessionId: string; current: string; onDone(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState(current);
  const save = async (e: Event) => {
    e.preventDefault();
    await call(() => unwrap(drama.api.PATCH('/api/sessions/{id}/members/me', { params: { path: { id: sessionId } }, body: { display_name: name } })));
    onDone();
  };
  return (
    <form class="button-row" onSubmit={save}>
      <label class="field">
        <span>{t('players.yourName')}</span>
        <input value={name} maxLength={40} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="button small" disabled={name.trim() === ''}>
        {t('common.save')}
      </button>
    </form>
  );
}
