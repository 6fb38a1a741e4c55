/** GET /api/sessions: the caller's sessions only, most recently played first, paged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDramaClient, unwrap, type DramaClient } from '../../sdk/index.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { eventually, testServerEnv } from '../support/test-env.js';

let server: RunningServer;
let alice: DramaClient;
let bob: DramaClient;
let storyId: string;

beforeAll(async () => {
  server = await startServer(testServerEnv({ JWT_SECRET: 'session-list-secret-0123456789abcdefgh' }), silentLogger());
  alice = createDramaClient({ baseUrl: server.url });
  bob = createDramaClient({ baseUrl: server.url });
  await Promise.all([alice.signInAsGuest(), bob.signInAsGuest()]);
  storyId = (await unwrap(alice.api.GET('/api/stories'))).stories.find((s) => s.slug === 'vault')!.id;
});

afterAll(async () => {
  await server?.shutdown();
});

const start = async (who: DramaClient) => (await unwrap(who.api.POST('/api/sessions', { body: { story_id: storyId } }))).session_id;
const list = (who: DramaClient, query: { limit?: number; before?: string } = {}) => unwrap(who.api.GET('/api/sessions', { params: { query } }));

describe('GET /api/sessions', () => {
  it('lists only the caller’s sessions, the one played last first, with the story title', async () => {
    const first = await start(alice);
    const second = await start(alice);
    const bobs = await start(bob);
    // Playing the first session makes it the most recent.
    await unwrap(alice.api.POST('/api/story/action', { body: { session_id: first, user_input: 'light the lamp', action: 'do' } }));
    await eventually(async () => ((await list(alice)).sessions[0]?.session_id === first ? true : undefined), 15_000, 'the played session to come first');
    const { sessions, next_before } = await list(alice);
    expect(sessions.map((s) => s.session_id)).toEqual([first, second]);
    expect(sessions[0]).toMatchObject({ story_id: storyId, story_title: 'The Vault', turn_no: 1, status: 'active' });
    expect(sessions[1]!.preview).toContain('cold hall');
    expect(next_before).toBeNull();
    expect((await list(bob)).sessions.map((s) => s.session_id)).toEqual([bobs]);
  });

  it('pages with limit and before', async () => {
    const fresh = createDramaClient({ baseUrl: server.url });
    await fresh.signInAsGuest();
    const ids = [await start(fresh), await start(fresh), await start(fresh)].reverse();
    const page1 = await list(fresh, { limit: 2 });
    expect(page1.sessions.map((s) => s.session_id)).toEqual(ids.slice(0, 2));
    expect(page1.next_before).not.toBeNull();
    const page2 = await list(fresh, { limit: 2, before: page1.next_before! });
    expect(page2.sessions.map((s) => s.session_id)).toEqual(ids.slice(2));
    expect(page2.next_before).toBeNull();
  });

  it('needs a token', async () => {
    const res = await fetch(`${server.url}/api/sessions`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
