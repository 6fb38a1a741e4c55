/**
 * Time controls in distributed mode, in one test process: a web-only server and a server that
 * runs turns, sharing Redis (BullMQ queue, event bus) and PostgreSQL. The in-flight check goes
 * through the queue's per-session Redis key, and timeline.changed crosses Redis to a WebSocket
 * on the other server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/runtime/start-server.js';
import { api, openEvents } from '../support/clients.js';
import { eventually } from '../support/test-env.js';
import { startWebAndWorker, type WebAndWorker } from '../support/web-and-worker.js';

describe('time controls over Redis and PostgreSQL (web server + worker server)', () => {
  let cluster: WebAndWorker;
  let web: RunningServer;
  let worker: RunningServer;
  let token: string;
  let call: ReturnType<typeof api>;
  let storyId: string;

  beforeAll(async () => {
    cluster = await startWebAndWorker({
      JWT_SECRET: 'timeline-redis-secret-timeline-redis-secret',
      // Slow offline models hold a turn in flight for the 409 check.
      OFFLINE_LATENCY_MS: '800',
    });
    ({ web, worker, vaultStoryId: storyId } = cluster);
    token = (await api(web.url)('POST', '/api/auth/guest')).body.token;
    call = api(web.url, token);
  }, 60_000);
  afterAll(() => cluster?.stop(), 60_000);

  const waitDone = (taskId: string) =>
    eventually(async () => {
      const r = await call('GET', `/api/story/status/${taskId}`);
      return r.body.status === 'completed' ? r.body : undefined;
    }, 20_000);

  it('refuses undo while the queue holds a turn; after it, undo and retry reach watchers on the other server', async () => {
    const sid = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id;
    const ws = await openEvents(`${worker.url.replace('http', 'ws')}/ws/story/${sid}?token=${token}`);
    try {
      const first = await call('POST', '/api/story/action', { session_id: sid, user_input: 'I light the old brass lamp' });
      const busy = await call('POST', `/api/sessions/${sid}/undo`);
      expect((await call('GET', `/api/story/status/${first.body.task_id}`)).body.status).not.toBe('completed');
      expect(busy.status).toBe(409);
      expect(busy.body.error.code).toBe('turn_in_progress');
      await waitDone(first.body.task_id);

      const undone = await call('POST', `/api/sessions/${sid}/undo`);
      expect(undone.status).toBe(200);
      // The session crossed Redis as JSON and reads exactly as GET /api/sessions/:id.
      expect(await ws.until((e) => e.type === 'timeline.changed' && e.reason === 'undo')).toMatchObject({ turn_no: 0, task_id: null, session: undone.body });
      expect((await call('POST', `/api/sessions/${sid}/redo`)).body).toMatchObject({ turn_no: 1, redo_available: false });

      const retried = await call('POST', `/api/sessions/${sid}/retry`);
      expect(retried.status).toBe(202);
      expect(await ws.until((e) => e.type === 'timeline.changed' && e.reason === 'retry')).toMatchObject({ turn_no: 0, task_id: retried.body.task_id });
      await ws.until((e) => e.type === 'turn.completed' && e.task_id === retried.body.task_id, 20_000);
      const all = (await call('GET', `/api/sessions/${sid}/turns?include=all`)).body.turns as { turn_no: number; state: string }[];
      expect(all.map((t) => `${t.turn_no}:${t.state}`)).toEqual(['0:active', '1:replaced', '1:active']);
    } finally {
      ws.close();
    }
  }, 60_000);
});
