import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { openStore } from '../../src/storage/db.js';
import { api, openEvents } from '../support/clients.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('graceful shutdown (SIGTERM path)', () => {
  it('finishes a turn that is mid-narration, delivers its events, then refuses new work', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'md-shutdown-'));
    const env = loadEnv({
      DATA_DIR: dataDir,
      STORIES_DIR: 'tests/fixtures',
      PORT: '0',
      LOG_LEVEL: 'silent',
      OFFLINE_CHUNK_DELAY_MS: '40',
      SHUTDOWN_GRACE_MS: '20000',
    });
    const server = await startServer(env, silentLogger());
    const guest = await api(server.url)('POST', '/api/auth/guest');
    const call = api(server.url, guest.body.token);
    const story = (await call('GET', '/api/stories')).body.stories[0];
    const sessionId = (await call('POST', '/api/sessions', { story_id: story.id })).body.session_id;
    const ws = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${guest.body.token}`);
    const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'light the lamp' });
    await ws.until((e) => e.type === 'narration.delta');

    const stopping = server.shutdown();
    // While draining: readiness fails and new actions are refused, the running turn goes on.
    await new Promise((r) => setTimeout(r, 20));
    const other = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'leave' }).catch(() => null);
    if (other) expect([409, 503]).toContain(other.status);
    await stopping;

    expect(ws.events.map((e) => e.type)).toContain('turn.completed');
    expect(await ws.closed).toBe(1001);
    // The turn is in the database: reopen the same data directory after the server released it.
    const store = await openStore({ dataDir, poolSize: 1 });
    try {
      const turn = await store.turns.getTurnByTask(accepted.body.task_id);
      expect(turn?.turnNo).toBe(1);
      expect((await store.sessions.getSession(sessionId))?.turnNo).toBe(1);
    } finally {
      await store.close();
    }
  });
});
