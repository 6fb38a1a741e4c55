/**
 * A shared session's table, above the composer: whose turn it is (round mode), the open vote,
 * the actions waiting in line, and who is typing. Names come from the member list
 * ({@link useMemberNames}), which reloads when someone joins, leaves or comes and goes.
 * @module
 */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { unwrap, type Member } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';
import { call, drama } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { typingNow, type TableState } from './table-state.js';

/** user id → the name shown for them in this session (empty outside shared sessions). */
export const MemberNames = createContext<Map<string, string>>(new Map());

/** The session's people by id, reloaded when `version` changes; also says whether `me` only watches. */
export function useMembers(sessionId: string, version: number, me: string | null): { names: Map<string, string>; members: Member[]; watching: boolean } {
  const { t } = useI18n();
  const [state] = useAsync(() => call(() => unwrap(drama.api.GET('/api/sessions/{id}/members', { params: { path: { id: sessionId } } }))), [sessionId, version]);
  const members = state.status === 'ok' ? state.value.members : [];
  const names = new Map(members.map((m) => [m.user_id, m.display_name ?? (m.role === 'owner' ? t('players.owner') : `${t(`players.role.${m.role}`)} ${m.user_id.slice(0, 4)}`)]));
  return { names: members.length > 1 ? names : new Map(), members, watching: members.some((m) => m.user_id === me && m.role === 'spectator') };
}

/** The acting player's name on a passage, in a shared session. */
export function ActorName({ userId }: { userId: string | null | undefined }) {
  const names = useContext(MemberNames);
  const name = userId ? names.get(userId) : undefined;
  return name ? <span class="actor-name">{name}</span> : null;
}

/** Re-render every second while something on the table counts down or fades. */
function useTick(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

const secondsLeft = (iso: string | null, now: number) => (iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : null);

export function TableBar({ table, turnMode, me }: { table: TableState; turnMode: 'free' | 'round' | 'vote' | null | undefined; me: string | null }) {
  const { t } = useI18n();
  const names = useContext(MemberNames);
  const typing = typingNow(table, me);
  const now = useTick(typing.length > 0 || table.vote !== null || table.round?.deadlineAt != null);
  if (!turnMode) return null;
  const nameOf = (userId: string, fallback?: string | null) => (userId === me ? t('players.you') : (fallback ?? names.get(userId) ?? userId.slice(0, 4)));
  const roundLeft = secondsLeft(table.round?.deadlineAt ?? null, now);
  const voteLeft = secondsLeft(table.vote?.deadlineAt ?? null, now);
  return (
    <div class="table-bar" role="status" aria-live="polite">
      <span class="muted">{t(`table.mode.${turnMode}`)}</span>
      {turnMode === 'round' && table.round && (
        <span class={table.round.userId === me ? 'your-turn' : undefined}>
          {table.round.userId === me ? t('table.yourTurn') : t('table.theirTurn', { name: nameOf(table.round.userId, table.round.displayName) })}
          {roundLeft !== null && ` · ${t('table.secondsLeft', { n: roundLeft })}`}
        </span>
      )}
      {turnMode === 'vote' && table.vote && <span>{t('table.vote', { n: table.vote.votes, s: voteLeft ?? 0 })}</span>}
      {table.waiting.length > 0 && (
        <ol class="waiting-line" aria-label={t('table.waiting')}>
          {table.waiting.map((w) => (
            <li key={w.taskId}>
              <strong>{nameOf(w.userId, w.displayName)}</strong>: {w.input}
            </li>
          ))}
        </ol>
      )}
      {typing.length > 0 && <span class="typing">{t('table.typing', { names: typing.map((u) => nameOf(u)).join(', ') })}</span>}
    </div>
  );
}
