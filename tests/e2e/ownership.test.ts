/**
 * Ownership, enumerated: every route of the OpenAPI document that takes an id (in the path or in
 * the body) is called by user B with user A's ids, and must refuse (404: someone else's resource
 * looks exactly like a missing one), change nothing, and leak nothing. New routes are covered as
 * soon as they are in the document. The WebSocket and SSE streams are checked too.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { eventually } from '../support/test-env.js';

type Schema = { $ref?: string; type?: string | string[]; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[]; minimum?: number; minLength?: number; items?: Schema; default?: unknown; anyOf?: Schema[]; oneOf?: Schema[] };
interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** A minimal value that passes the schema, with A's ids wherever a field names one. */
function sample(schema: Schema | undefined, doc: OpenApiDoc, ids: Record<string, string>, field = ''): unknown {
  if (!schema) return 'x';
  if (schema.$ref) return sample(doc.components?.schemas?.[schema.$ref.split('/').pop()!], doc, ids, field);
  // Ids are kept as path text; a numeric body field (fork's turn_no) gets the number.
  if (ids[field] !== undefined) return schema.type === 'integer' || schema.type === 'number' ? Number(ids[field]) : ids[field];
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.length) return sample(alt[0], doc, ids, field);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const required = schema.required ?? [];
      // An upload needs one of `source` and `files` (a refinement the document cannot require): give `source`.
      const oneOf = schema.properties?.source && schema.properties.files && !required.includes('source') && !required.includes('files') ? ['source'] : [];
      return Object.fromEntries([...required, ...oneOf].map((k) => [k, sample(schema.properties?.[k], doc, ids, k)]));
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    default:
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
  }
}

describe('ownership: every route refuses another user\'s ids', () => {
  let server: RunningServer;
  let doc: OpenApiDoc;
  const A = { token: '', userId: '' };
  const B = { token: '', userId: '' };
  /** A's ids by path parameter / body field name. */
  let ids: Record<string, string> = {};

  const snapshotA = async () => {
    const store = server.runtime.deps.store;
    const [session, turns, memories, story, keys, suspension] = await Promise.all([
      store.sessions.getSession(ids.id!),
      store.turns.listTurns(ids.id!, { limit: 100 }),
      store.memories.list(ids.id!),
      store.stories.getStory(ids.story_id!),
      store.apiKeys.list(A.userId),
      store.suspensions.get(A.userId),
    ]);
    return JSON.stringify({ session, turns, memories, story, keys, suspension });
  };

  beforeAll(async () => {
    server = await startServer(
      loadEnv({ JWT_SECRET: 'owner-secret-owner-secret-owner-secret-0123', LOG_LEVEL: 'silent', DATA_DIR: ':memory:', STORIES_DIR: 'tests/fixtures', PORT: '0', HOST: '127.0.0.1' }),
      silentLogger(),
    );
    const anon = api(server.url);
    for (const u of [A, B]) {
      const g = (await anon('POST', '/api/auth/guest')).body;
      u.token = g.token;
      u.userId = g.user_id;
    }
    const callA = api(server.url, A.token);
    const privA = await callA('POST', '/api/stories', { title: 'A only', source: 'Secret.\n* [Go] -> END\n' });
    const keyA = await callA('POST', '/api/keys', { name: 'A only' });
    const vault = (await callA('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
    const sessionId = (await callA('POST', '/api/sessions', { story_id: vault })).body.session_id;
    const accepted = await callA('POST', '/api/story/action', { session_id: sessionId, user_input: 'I light the old brass lamp' });
    await eventually(async () => ((await callA('GET', `/api/story/status/${accepted.body.task_id}`)).body.status === 'completed' ? true : undefined));
    // Names used by path parameters and body fields across the document.
    ids = { id: sessionId, session_id: sessionId, task_id: accepted.body.task_id, story_id: privA.body.id, key_id: keyA.body.id, user_id: A.userId, n: '1', turn_no: '1' };
    doc = (await anon('GET', '/openapi.json')).body;
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  /** Every (method, path) with an id in its path or body, with the request B sends. */
  function cases(): { label: string; method: string; path: string; body?: unknown }[] {
    const out: { label: string; method: string; path: string; body?: unknown }[] = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      // A shared transcript is public by design: anyone holding its token reads it (src/http/routes/shares.test.ts).
      if (template.startsWith('/api/shared/')) continue;
      // Asset routes take multipart bodies and named files this generic walk cannot make; their
      // access rules (a stranger to a private story or session gets 404) are src/http/routes/assets.test.ts's.
      if (template.includes('/assets')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        // {id} is a story id under /api/stories and /api/admin/stories, an API key id under
        // /api/keys, and a session id everywhere else; {user_id} is A (admin routes: B is no admin).
        const idFor = (name: string) => {
          if (name !== 'id') return ids[name] ?? 'unknown';
          if (/^\/api\/(admin\/)?stories/.test(template)) return ids.story_id!;
          return template.startsWith('/api/keys') ? ids.key_id! : ids.id!;
        };
        const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(idFor(name)));
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        const body = bodySchema ? sample(bodySchema, doc, ids) : undefined;
        const bodyIds = body && typeof body === 'object' ? Object.keys(body).filter((k) => ids[k] !== undefined) : [];
        // /api/me/… acts on the caller's own data only: its path names no one else's (a provider, not an id).
        if ((pathParams.length === 0 && bodyIds.length === 0) || template.startsWith('/api/me/')) continue;
        out.push({ label: `${method.toUpperCase()} ${template}`, method: method.toUpperCase(), path, body });
      }
    }
    return out;
  }

  it('the document has routes with ids to check (sessions, turns, traces, usage, stories, tasks, actions)', () => {
    const labels = cases().map((c) => c.label);
    for (const l of [
      'GET /api/sessions/{id}',
      'GET /api/sessions/{id}/turns',
      'GET /api/sessions/{id}/turns/{n}/trace',
      'GET /api/sessions/{id}/usage',
      'GET /api/stories/{id}',
      'PATCH /api/stories/{id}',
      'GET /api/story/status/{task_id}',
      'POST /api/story/action',
      'POST /api/sessions',
      'POST /api/sessions/{id}/undo',
      'POST /api/sessions/{id}/redo',
      'POST /api/sessions/{id}/retry',
      'POST /api/sessions/{id}/fork',
      'GET /api/sessions/{id}/export',
      'POST /api/sessions/{id}/share',
      'DELETE /api/sessions/{id}/share',
      'DELETE /api/keys/{id}',
      'PUT /api/admin/stories/{id}/hidden',
      'PUT /api/admin/users/{user_id}/suspension',
    ]) {
      expect(labels).toContain(l);
    }
  });

  it('each route answers 404 to user B, while A can read it; nothing of A changes', async () => {
    const before = await snapshotA();
    const callA = api(server.url, A.token);
    const callB = api(server.url, B.token);
    const results: string[] = [];
    for (const c of cases()) {
      const r = await callB(c.method, c.path, c.body);
      results.push(`${c.label} → ${r.status}`);
      expect.soft([403, 404], `${c.label} as B: ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
      // Nothing of A's in the refusal beyond the id B sent itself.
      expect(JSON.stringify(r.body)).not.toContain(A.userId);
      if (c.method === 'GET') {
        const own = await callA(c.method, c.path);
        expect.soft(own.status, `${c.label} as A (control)`).toBeLessThan(300);
      }
    }
    expect(await snapshotA()).toBe(before);
    expect(results.length).toBeGreaterThanOrEqual(8);
  });

  it('the event streams refuse B: SSE 404, WebSocket 404 before the upgrade, 4004 with first-message auth', async () => {
    const sse = await api(server.url, B.token)('GET', `/api/sessions/${ids.id}/events`);
    expect(sse.status).toBe(404);
    const wsBase = server.url.replace('http', 'ws');
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${wsBase}/ws/story/${ids.id}?token=${B.token}`);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.once('open', () => resolve(101));
      ws.once('error', () => undefined);
    });
    expect(refused).toBe(404);
    const closed = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${wsBase}/ws/story/${ids.id}?auth=message`);
      ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token: B.token })));
      ws.once('close', (code) => resolve(code));
      ws.once('error', () => undefined);
    });
    expect(closed).toBe(4004);
  });
});
