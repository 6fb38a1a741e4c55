/**
 * Everything the play screen does with the server: load the session and its transcript, follow
 * the event stream (rejoining a turn in progress after a reload), send actions, and the time
 * controls. Stream events are applied in batches, once per animation frame.
 * @module
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isDramaApiError, unwrap, type ActionKind, type SessionEvent, type StreamStatus } from '../../../sdk/index.js';
import { call, drama } from '../lib/api.js';
import { acceptTask, applyEvent, fromTranscript, markCancelled, pendingTurn, type PlayState, type SessionView, type TimelineTurn } from './play-state.js';
import { randomKey } from './random-key.js';
import { timeControls } from './time-controls.js';

async function loadTranscript(sessionId: string): Promise<{ session: SessionView; turns: TimelineTurn[] }> {
  const turns: TimelineTurn[] = [];
  const session = call(() => unwrap(drama.api.GET('/api/sessions/{id}', { params: { path: { id: sessionId } } })));
  const page = (after: number | undefined) =>
    call(() => unwrap(drama.api.GET('/api/sessions/{id}/turns', { params: { path: { id: sessionId }, query: { limit: 200, include: 'all', ...(after === undefined ? {} : { after }) } } })));
  for (let after: number | null | undefined = undefined; after !== null; ) {
    const next = await page(after);
    turns.push(...next.turns);
    after = next.turns.length === 0 ? null : next.next_after;
  }
  return { session: await session, turns };
}

export interface PlayNotice {
  kind: 'turn_in_progress' | 'story_ended' | 'not_available' | 'not_your_turn' | 'queue_full' | 'error';
  message: string;
  /** not_your_turn: whose turn it is. */
  userId?: string;
}

/** What to tell the player about a refused request. */
function explain(err: unknown): PlayNotice {
  if (isDramaApiError(err, 'turn_in_progress')) return { kind: 'turn_in_progress', message: err.message };
  if (isDramaApiError(err, 'story_ended')) return { kind: 'story_ended', message: err.message };
  if (isDramaApiError(err, 'not_your_turn')) return { kind: 'not_your_turn', message: err.message, userId: (err.details as { user_id?: string } | undefined)?.user_id ?? '' };
  if (isDramaApiError(err, 'queue_full')) return { kind: 'queue_full', message: err.message };
  if (isDramaApiError(err) && (err.status === 404 || err.status === 405) && err.code !== 'session_not_found') return { kind: 'not_available', message: err.message };
  return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
}

export function usePlaySession(sessionId: string) {
  const [state, setState] = useState<PlayState | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [stream, setStream] = useState<StreamStatus | null>(null);
  const [notice, setNotice] = useState<PlayNotice | null>(null);
  const [storyTitle, setStoryTitle] = useState<string | null>(null);
  const stateRef = useRef<PlayState | null>(null);
  const queue = useRef<SessionEvent[]>([]);
  const reloading = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stream$ = useRef<{ sendTyping(): boolean } | null>(null);

  const commit = useCallback((next: PlayState) => {
    stateRef.current = next;
    setState(next);
  }, []);

  const reload = useCallback(async () => {
    const { session, turns } = await loadTranscript(sessionId);
    commit(fromTranscript(session, turns, stateRef.current?.live ?? null, stateRef.current?.table));
  }, [sessionId, commit]);

  const scheduleReload = useCallback(() => {
    clearTimeout(reloading.current);
    reloading.current = setTimeout(() => void reload().catch(() => undefined), 50);
  }, [reload]);

  useEffect(() => {
    let closed = false;
    let frame = 0;
    const flush = () => {
      frame = 0;
      let current = stateRef.current;
      if (!current) return;
      let needsReload = false;
      for (const event of queue.current.splice(0)) {
        const outcome = applyEvent(current, event);
        current = outcome.state;
        needsReload ||= outcome.reload;
      }
      commit(current);
      if (needsReload) scheduleReload();
    };
    const start = async () => {
      try {
        const { session, turns } = await loadTranscript(sessionId);
        if (closed) return;
        commit(fromTranscript(session, turns));
        void call(() => unwrap(drama.api.GET('/api/stories/{id}', { params: { path: { id: session.story_id } } }))).then((s) => !closed && setStoryTitle(s.title), () => undefined);
      } catch (err) {
        if (!closed) setLoadError(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      // since=0: the server's buffer holds the events of a turn still running; the reducer skips finished ones.
      const events = drama.events(sessionId, {
        since: 0,
        onEvent(event) {
          queue.current.push(event);
          frame ||= requestAnimationFrame(flush);
        },
        onStatus: setStream,
      });
      stream$.current = events;
      const online = () => events.reconnectNow();
      addEventListener('online', online);
      cleanup = () => {
        removeEventListener('online', online);
        events.close();
      };
    };
    let cleanup = () => undefined as void;
    void start();
    return () => {
      closed = true;
      cancelAnimationFrame(frame);
      clearTimeout(reloading.current);
      cleanup();
    };
  }, [sessionId, commit, scheduleReload]);

  /** Send an action; false when it was refused (the notice says why). */
  const send = useCallback(
    async (action: ActionKind, input: string): Promise<boolean> => {
      const current = stateRef.current;
      if (!current) return false;
      setNotice(null);
      const key = randomKey();
      commit({ ...current, live: pendingTurn(key, input, action) });
      const post = () =>
        call(() =>
          unwrap(drama.api.POST('/api/story/action', { body: { session_id: sessionId, user_input: input, action }, headers: { 'idempotency-key': key } })),
        );
      try {
        // The same Idempotency-Key makes a resend after a network error safe: it returns the same task.
        const accepted = await post().catch((err: unknown) => (isDramaApiError(err, 'network_error') ? new Promise((r) => setTimeout(r, 1000)).then(post) : Promise.reject(err)));
        // Waiting in a shared session's line or vote: the table shows it (turn.queued, vote.cast), not the live turn.
        if (stateRef.current && accepted.status === 'queued') commit(stateRef.current.live?.taskId === `pending:${key}` ? { ...stateRef.current, live: null } : stateRef.current);
        else if (stateRef.current) commit(acceptTask(stateRef.current, key, accepted.task_id));
        return true;
      } catch (err) {
        if (stateRef.current?.live?.taskId === `pending:${key}`) commit({ ...stateRef.current, live: null });
        setNotice(explain(err));
        return false;
      }
    },
    [sessionId, commit],
  );

  /** Stop the running turn. A turn that finished meanwhile (409, or committed first) shows as it ended. */
  const stop = useCallback(async () => {
    setNotice(null);
    try {
      const stopped = await timeControls.cancel(sessionId);
      if (stateRef.current && stopped.status === 'failed' && stopped.error?.code === 'cancelled') commit(markCancelled(stateRef.current, stopped.task_id, stopped.error));
    } catch (err) {
      if (isDramaApiError(err, 'no_turn_in_progress')) return reload().catch(() => undefined);
      setNotice(explain(err));
    }
  }, [sessionId, commit, reload]);

  const control = useCallback(
    async (run: () => Promise<unknown>) => {
      setNotice(null);
      try {
        await run();
        await reload();
      } catch (err) {
        setNotice(explain(err));
      }
    },
    [reload],
  );

  // Stable across renders, so memoised turns do not re-render while narration streams in.
  const actions = useMemo(() => ({
    send,
    stop,
    undo: () => control(() => timeControls.undo(sessionId)),
    redo: () => control(() => timeControls.redo(sessionId)),
    /** Play the last turn again, as it was or with the player's edited words and kind of action. */
    retry: (edit?: { input: string; action: ActionKind }) =>
      control(async () => {
        const last = stateRef.current?.turns.at(-1);
        const { task_id } = await timeControls.retry(sessionId, edit && { user_input: edit.input, action: edit.action });
        const current = stateRef.current;
        if (current && last && !current.knownTasks.has(task_id) && current.live?.taskId !== task_id) {
          const shown = edit ?? { input: last.input, action: last.action };
          commit({ ...current, live: { ...pendingTurn(task_id, shown.input, shown.action), taskId: task_id, turnNo: last.turn_no, replaysLast: true } });
        }
      }),
    editNarration: (turnNo: number, narration: string) => control(() => timeControls.editNarration(sessionId, turnNo, narration)),
    fork: async (turnNo: number): Promise<string | null> => {
      setNotice(null);
      try {
        return (await timeControls.fork(sessionId, turnNo)).session_id;
      } catch (err) {
        setNotice(explain(err));
        return null;
      }
    },
    dismissLive: () => stateRef.current && commit({ ...stateRef.current, live: null }),
    dismissNotice: () => setNotice(null),
    /** Tell the other players you are typing (shared sessions; the server rate-limits it). */
    typing: () => void stream$.current?.sendTyping(),
    reload,
  }), [send, stop, control, reload, sessionId, commit]);
  return { state, loadError, stream, notice, storyTitle, actions };
}
