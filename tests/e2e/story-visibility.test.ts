/**
 * Who sees and plays which story, as a matrix over a listening server (PGlite and PostgreSQL):
 * the owner, another user and an admin, against a private, a public and a hidden story, for
 * get, list, start a session and read its cards. Also: changing visibility, and a session started
 * before a story was hidden playing on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { dbTargets, eventually } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'visibility-secret-visibility-secret-0123456789';
const SOURCE = '# title: Lamp\nA lamp in the dark.\n+ [Light it] -> lit\n=== lit ===\nIt glows.\n+ [Again] -> lit\n';

type Viewer = 'owner' | 'other' | 'admin';
type Kind = 'private' | 'public' | 'hidden';
interface Outcome {
  get: number;
  listed: boolean;
  start: number;
  cards: number;
}

// 404 is "no such story": to anyone who may not see it, a story does not exist.
const EXPECTED: Record<Viewer, Record<Kind, Outcome>> = {
  owner: {
    private: { get: 200, listed: true, start: 201, cards: 200 },
    public: { get: 200, listed: true, start: 201, cards: 200 },
    hidden: { get: 200, listed: true, start: 403, cards: 200 },
  },
  other: {
    private: { get: 404, listed: false, start: 404, cards: 404 },
    public: { get: 200, listed: true, start: 201, cards: 200 },
    hidden: { get: 404, listed: false, start: 404, cards: 404 },
  },
  // Admins open anything by id; their own listing follows the same rule as everyone's (GET /api/admin/stories lists all).
  admin: {
    private: { get: 200, listed: false, start: 201, cards: 200 },
    public: { get: 200, listed: true, start: 201, cards: 200 },
    hidden: { get: 200, listed: false, start: 403, cards: 200 },
  },
};

describe.each(dbTargets())('story visibility [$name]', (target) => {
  let server: RunningServer;
  const tokens = {} as Record<Viewer, string>;
  const ids = {} as Record<Kind, string>;
  let shippedId: string;
  let sessionBeforeHiding: string;
  const as = (viewer: Viewer) => api(server.url, tokens[viewer]);

  beforeAll(async () => {
    server = await startServer(target.env({ JWT_SECRET: SECRET, STORIES_DIR: 'tests/fixtures' }), silentLogger());
    tokens.owner = (await signUserToken(SECRET)).token;
    tokens.other = (await signUserToken(SECRET)).token;
    tokens.admin = (await signUserToken(SECRET, { admin: true })).token;
    for (const kind of ['private', 'public', 'hidden'] as const) {
      const created = await as('owner')('POST', '/api/stories', { title: `A ${kind} story`, source: SOURCE, ...(kind === 'private' ? {} : { visibility: 'public' }) });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ visibility: kind === 'private' ? 'private' : 'public', hidden: false });
      ids[kind] = created.body.id;
    }
    sessionBeforeHiding = (await as('other')('POST', '/api/sessions', { story_id: ids.hidden })).body.session_id;
    const hidden = await as('admin')('PUT', `/api/admin/stories/${ids.hidden}/hidden`);
    expect(hidden.status).toBe(200);
    expect(hidden.body.hidden).toBe(true);
    shippedId = (await as('other')('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await target.cleanup();
  });

  it('matches the matrix: owner / other / admin × private / public / hidden × get / list / start / cards', async () => {
    const seen: Record<string, Outcome> = {};
    const want: Record<string, Outcome> = {};
    for (const viewer of ['owner', 'other', 'admin'] as const) {
      const listed = new Set((await as(viewer)('GET', '/api/stories')).body.stories.map((s: { id: string }) => s.id));
      for (const kind of ['private', 'public', 'hidden'] as const) {
        const id = ids[kind];
        const get = await as(viewer)('GET', `/api/stories/${id}`);
        const start = await as(viewer)('POST', '/api/sessions', { story_id: id });
        const cards = await as(viewer)('GET', `/api/stories/${id}/cards`);
        seen[`${viewer} × ${kind}`] = { get: get.status, listed: listed.has(id), start: start.status, cards: cards.status };
        want[`${viewer} × ${kind}`] = EXPECTED[viewer][kind];
        if (get.status === 404) expect(get.body.error.code).toBe('story_not_found');
        if (start.status === 403) expect(start.body.error.code).toBe('story_hidden');
        if (start.status === 404) expect(start.body.error.code).toBe('story_not_found');
        // The hidden flag is shown to the owner and admins only.
        if (get.status === 200) expect('hidden' in get.body).toBe(viewer !== 'other');
      }
    }
    expect(seen).toEqual(want);
  });

  it('everyone sees the shipped stories (public), and nobody but admins can hide them', async () => {
    for (const viewer of ['owner', 'other', 'admin'] as const) {
      expect((await as(viewer)('GET', `/api/stories/${shippedId}`)).body).toMatchObject({ visibility: 'public', owner_id: null });
    }
    expect((await as('owner')('PATCH', `/api/stories/${shippedId}`, { visibility: 'private' })).status).toBe(403);
  });

  it('a session started before its story was hidden plays on', async () => {
    const call = as('other');
    const accepted = await call('POST', '/api/story/action', { session_id: sessionBeforeHiding, user_input: 'I light the lamp' });
    expect(accepted.status).toBe(202);
    const done = await eventually(async () => {
      const s = (await call('GET', `/api/story/status/${accepted.body.task_id}`)).body.status;
      return s === 'completed' || s === 'failed' ? s : undefined;
    });
    expect(done).toBe('completed');
  });

  it('the owner makes a story public or private and renames it; others cannot change it', async () => {
    const created = (await as('owner')('POST', '/api/stories', { title: 'Draft', source: SOURCE })).body;
    expect((await as('other')('GET', `/api/stories/${created.id}`)).status).toBe(404);
    expect((await as('other')('PATCH', `/api/stories/${created.id}`, { visibility: 'public' })).status).toBe(404);
    const shared = await as('owner')('PATCH', `/api/stories/${created.id}`, { visibility: 'public', title: 'Final' });
    expect(shared.body).toMatchObject({ visibility: 'public', title: 'Final' });
    expect((await as('other')('GET', `/api/stories/${created.id}`)).status).toBe(200);
    const refused = await as('other')('PATCH', `/api/stories/${created.id}`, { title: 'Mine now' });
    expect(refused.status).toBe(403);
    expect((await as('owner')('PATCH', `/api/stories/${created.id}`, { visibility: 'private' })).status).toBe(200);
    expect((await as('other')('GET', `/api/stories/${created.id}`)).status).toBe(404);
    expect((await as('owner')('PATCH', `/api/stories/${created.id}`, { visibility: 'secret' })).status).toBe(400);
  });

  it('admins list every story with its owner and flag, and unhide', async () => {
    const all = (await as('admin')('GET', '/api/admin/stories')).body.stories as { id: string; hidden: boolean; owner_id: string | null }[];
    expect(all.map((s) => s.id)).toEqual(expect.arrayContaining([ids.private, ids.public, ids.hidden, shippedId]));
    expect((await as('admin')('GET', '/api/admin/stories?hidden=true')).body.stories.map((s: { id: string }) => s.id)).toEqual([ids.hidden]);
    expect((await as('admin')('DELETE', `/api/admin/stories/${ids.hidden}/hidden`)).body.hidden).toBe(false);
    expect((await as('other')('GET', `/api/stories/${ids.hidden}`)).status).toBe(200);
    expect((await as('admin')('PUT', `/api/admin/stories/${ids.hidden}/hidden`, { reason: 'again' })).body.hidden).toBe(true);
    expect((await as('admin')('PUT', '/api/admin/stories/no-such-story/hidden')).status).toBe(404);
  });
});
