/** The shared table's reducer: the line, typing, the round, the vote, member changes. */
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../sdk/index.js';
import { applyTableEvent, emptyTable, isTableEvent, typingNow, TYPING_SHOWS_MS } from './table-state.js';

let id = 0;
const ev = (type: SessionEvent['type'], extra: Record<string, unknown> = {}): SessionEvent =>
  ({ id: ++id, type, session_id: 's', task_id: null, turn_no: 1, at: '', ...extra }) as SessionEvent;
const queued = (task: string, user: string, position: number) => ev('turn.queued', { task_id: task, user_id: user, display_name: null, input: `from ${user}`, action: 'do', position });

describe('table state', () => {
  it('keeps the line in order and takes an action out when its turn starts or it is dropped', () => {
    let t = emptyTable();
    t = applyTableEvent(t, queued('b', 'u2', 2));
    t = applyTableEvent(t, queued('a', 'u1', 1));
    expect(t.waiting.map((w) => [w.taskId, w.position])).toEqual([['a', 1], ['b', 2]]);
    t = applyTableEvent(t, ev('turn.started', { task_id: 'a', user_id: 'u1', input: 'x', action: 'do', attempt: 1, display_name: null }));
    expect(t.waiting.map((w) => [w.taskId, w.position])).toEqual([['b', 1]]);
    t = applyTableEvent(t, ev('turn.failed', { task_id: 'b', error: { code: 'cancelled', message: '' } }));
    expect(t.waiting).toEqual([]);
  });

  it('shows typing for a while, never for me, and stops when that player acts', () => {
    const now = 1_000_000;
    let t = applyTableEvent(emptyTable(), ev('member.typing', { user_id: 'u2' }), now);
    t = applyTableEvent(t, ev('member.typing', { user_id: 'me' }), now);
    expect(typingNow(t, 'me', now + 10)).toEqual(['u2']);
    expect(typingNow(t, 'me', now + TYPING_SHOWS_MS + 1)).toEqual([]);
    t = applyTableEvent(t, queued('c', 'u2', 1), now);
    expect(typingNow(t, 'me', now + 10)).toEqual([]);
  });

  it('follows the round and the vote; a new mode clears the line; member changes bump the list', () => {
    let t = applyTableEvent(emptyTable(), ev('round.next', { user_id: 'u1', display_name: 'Mara', deadline_at: null, skipped_user_id: null }));
    expect(t.round).toEqual({ userId: 'u1', displayName: 'Mara', deadlineAt: null });
    t = applyTableEvent(t, ev('vote.cast', { task_id: 'v', user_id: 'u1', display_name: null, votes: 2, deadline_at: '2026-01-01T00:00:30Z' }));
    expect(t.vote).toEqual({ votes: 2, deadlineAt: '2026-01-01T00:00:30Z' });
    t = applyTableEvent(applyTableEvent(t, queued('q', 'u3', 1)), ev('turn_mode.changed', { turn_mode: 'free' }));
    expect([t.waiting, t.vote, t.round]).toEqual([[], null, null]);
    for (const type of ['member.joined', 'member.left', 'member.renamed', 'member.online', 'member.offline'] as const) t = applyTableEvent(t, ev(type, { user_id: 'u9', role: 'player', display_name: 'X' }));
    expect(t.membersVersion).toBe(5);
    expect(isTableEvent(ev('narration.delta', { task_id: 't', text: 'x' }))).toBe(false);
    const same = emptyTable();
    expect(applyTableEvent(same, ev('narration.delta', { task_id: 't', text: 'x' }))).toBe(same);
  });
});
