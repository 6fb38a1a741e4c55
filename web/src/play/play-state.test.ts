/** The play screen's event reducer: live turns, replays of finished turns, retries, completion. */
import { describe, expect, it } from 'vitest';
import type { SessionEvent, Turn } from '../../../sdk/index.js';
import { acceptTask, applyEvent, fromTranscript, isBusy, markCancelled, pendingTurn, type PlayState, type SessionView } from './play-state.js';

const state = { text: 'A hall.', tags: [], choices: [{ index: 0, text: 'Light the lamp', tags: [] }], ended: false, variables: {} };
const session: SessionView = { session_id: 's', story_id: 'story', story_version: 'v', turn_no: 1, status: 'active', created_at: '', updated_at: '', redo_available: false, forked_from: null, forked_at_turn: null, author_note: null, persona: null, instructions: null, turn_mode: null, round: null, vote_deadline_at: null, ...state };
const decision = { choice_index: null, variable_updates: [], memories: [], summary: '' };
const turn = (no: number, task: string, extra: Partial<Turn> = {}): Turn =>
  ({ session_id: 's', turn_no: no, task_id: task, input: `input ${no}`, action: 'do', response: `narration ${no}`, decision, updated_state: state, timings: {}, usage: null, trace_id: null, state: 'active', created_at: `2026-01-01T00:00:0${no}Z`, ...extra }) as Turn;

let id = 100;
const ev = (type: SessionEvent['type'], task: string, turnNo: number, extra: Record<string, unknown> = {}): SessionEvent =>
  ({ id: ++id, type, session_id: 's', task_id: task, turn_no: turnNo, at: '', ...extra }) as SessionEvent;

const run = (s: PlayState, events: SessionEvent[]) => events.reduce((acc, e) => applyEvent(acc.state, e), { state: s, reload: false });

describe('play state', () => {
  const base = () => fromTranscript(session, [turn(0, 'open'), turn(1, 't1')]);

  it('streams a live turn and appends it on completion', () => {
    let s = base();
    s = run(s, [ev('turn.started', 't2', 2, { input: 'go', action: 'do', attempt: 1 }), ev('narration.delta', 't2', 2, { text: 'You ' }), ev('narration.delta', 't2', 2, { text: 'go.' })]).state;
    expect(s.live).toMatchObject({ taskId: 't2', text: 'You go.', status: 'writing', input: 'go' });
    expect(isBusy(s)).toBe(true);
    const out = applyEvent(s, ev('turn.completed', 't2', 2, { result: turn(2, 't2') }));
    expect(out.reload).toBe(false);
    expect(out.state.live).toBeNull();
    expect(out.state.turns.map((t) => t.turn_no)).toEqual([0, 1, 2]);
    expect(out.state.session.turn_no).toBe(2);
  });

  it('keeps who acted on the live turn while it streams (shared sessions name the player)', () => {
    const s = run(base(), [ev('turn.started', 't2', 2, { input: 'go', action: 'do', attempt: 1, user_id: 'u2', display_name: 'Mara' }), ev('narration.delta', 't2', 2, { text: 'You go.' })]).state;
    expect(s.live).toMatchObject({ taskId: 't2', userId: 'u2', status: 'writing' });
  });

  it('ignores replayed events of turns already in the transcript', () => {
    const s = base();
    const out = run(s, [ev('turn.started', 't1', 1, { input: 'x', action: 'do', attempt: 1 }), ev('narration.delta', 't1', 1, { text: 'old' }), ev('turn.completed', 't1', 1, { result: turn(1, 't1') })]);
    expect(out.state.live).toBeNull();
    expect(out.state.turns).toHaveLength(2);
  });

  it('restarts the narration on a new attempt and reports retries and failures', () => {
    let s = run(base(), [ev('turn.started', 't2', 2, { input: 'go', action: 'do', attempt: 1 }), ev('narration.delta', 't2', 2, { text: 'half' })]).state;
    s = applyEvent(s, ev('turn.retrying', 't2', 2, { error: { code: 'model_unavailable', message: 'down' }, attempt: 1, delay_ms: 5000 }), 1000).state;
    expect(s.live).toMatchObject({ status: 'retrying', retryAt: 6000, error: { code: 'model_unavailable' } });
    s = applyEvent(s, ev('turn.started', 't2', 2, { input: 'go', action: 'do', attempt: 2 })).state;
    expect(s.live).toMatchObject({ text: '', attempt: 2, status: 'thinking' });
    s = applyEvent(s, ev('turn.failed', 't2', 2, { error: { code: 'model_unavailable', message: 'down' } })).state;
    expect(s.live?.status).toBe('failed');
    expect(isBusy(s)).toBe(false);
  });

  it('shows a stopped turn as cancelled, not failed, and frees the composer', () => {
    const cancelled = { code: 'cancelled', message: 'The turn was cancelled' };
    const streaming = run(base(), [ev('turn.started', 't2', 2, { input: 'go', action: 'do', attempt: 1 }), ev('narration.delta', 't2', 2, { text: 'half' })]).state;
    // The cancel route answers first, or the event arrives first: the same state either way.
    const byAnswer = markCancelled(streaming, 't2', cancelled);
    const byEvent = applyEvent(streaming, ev('turn.failed', 't2', 2, { error: cancelled })).state;
    for (const s of [byAnswer, byEvent, applyEvent(byAnswer, ev('turn.failed', 't2', 2, { error: cancelled })).state]) {
      expect(s.live).toMatchObject({ taskId: 't2', status: 'cancelled', text: 'half', error: { code: 'cancelled' } });
      expect(isBusy(s)).toBe(false);
    }
    // Another task's answer, or a turn already over, is left alone.
    expect(markCancelled(streaming, 'other', cancelled)).toBe(streaming);
    const failed = applyEvent(streaming, ev('turn.failed', 't2', 2, { error: { code: 'model_unavailable', message: 'down' } })).state;
    expect(markCancelled(failed, 't2', cancelled).live?.status).toBe('failed');
  });

  it('a retry stays marked as one through its events, so resending it retries again', () => {
    const s = { ...base(), live: { ...pendingTurn('r1', 'input 1', 'do'), taskId: 'r1', turnNo: 1, replaysLast: true } };
    const out = run(s, [
      ev('turn.started', 'r1', 1, { input: 'input 1', action: 'do', attempt: 1 }),
      ev('narration.delta', 'r1', 1, { text: 'half' }),
      ev('turn.failed', 'r1', 1, { error: { code: 'cancelled', message: 'The turn was cancelled' } }),
    ]).state;
    expect(out.live).toMatchObject({ taskId: 'r1', status: 'cancelled', replaysLast: true });
    // An ordinary action is not marked.
    const plain = run(base(), [ev('turn.started', 't2', 2, { input: 'go', action: 'do', attempt: 1 }), ev('turn.failed', 't2', 2, { error: { code: 'cancelled', message: 'x' } })]).state;
    expect(plain.live?.replaysLast).toBeUndefined();
  });

  it('marks a retry whose turn.started came before its 202, so resending it retries again', () => {
    // No pending turn yet: the retry's POST has not answered when its first event arrives.
    const out = run(base(), [
      ev('turn.started', 'r2', 1, { input: 'input 1', action: 'do', attempt: 1 }),
      ev('turn.failed', 'r2', 1, { error: { code: 'cancelled', message: 'The turn was cancelled' } }),
    ]).state;
    expect(out.live).toMatchObject({ taskId: 'r2', turnNo: 1, status: 'cancelled', replaysLast: true });
  });

  it('gives the pending turn its task id, whichever of the 202 and turn.started comes first', () => {
    const pending = { ...base(), live: pendingTurn('k', 'go', 'say') };
    expect(acceptTask(pending, 'k', 't2').live?.taskId).toBe('t2');
    const started = applyEvent(pending, ev('turn.started', 't2', 2, { input: 'go', action: 'say', attempt: 1 })).state;
    expect(acceptTask(started, 'k', 't2').live).toMatchObject({ taskId: 't2', action: 'say' });
  });

  it('asks for a reload on timeline changes and on a completed retry of the last turn', () => {
    const s = base();
    expect(applyEvent(s, ev('timeline.changed', 'x', 1, { task_id: null, reason: 'undo', session: { ...session, turn_no: 0 } })).reload).toBe(true);
    expect(applyEvent(s, ev('turn.completed', 't1b', 1, { result: turn(1, 't1b') })).reload).toBe(true);
  });

  it('keeps retried versions of a turn for browsing', () => {
    const s = fromTranscript(session, [turn(0, 'open'), { ...turn(1, 'old'), state: 'replaced' }, { ...turn(1, 'new', { created_at: '2026-01-01T00:00:09Z' }), state: 'active' }, { ...turn(2, 'undone'), state: 'undone' }]);
    expect(s.turns.map((t) => t.task_id)).toEqual(['open', 'new']);
    expect(s.versions[1]!.map((t) => t.task_id)).toEqual(['old', 'new']);
    expect(s.knownTasks.has('undone')).toBe(true);
  });

  it('adds the new take of a retried turn to the replaced one when it completes', () => {
    const retrying = fromTranscript(session, [turn(0, 'open'), { ...turn(1, 'old'), state: 'replaced' }]);
    expect(retrying.turns).toHaveLength(1);
    const done = applyEvent(retrying, ev('turn.completed', 'new', 1, { result: turn(1, 'new') }));
    expect(done.reload).toBe(false);
    expect(done.state.versions[1]!.map((t) => t.task_id)).toEqual(['old', 'new']);
  });
});
