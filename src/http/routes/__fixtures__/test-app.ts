/**
 * The HTTP app in process, over the real runtime (embedded PGlite, in-process queue and event
 * bus, offline models), wired as a listening server wires it (runtime/http-deps.ts) but driven
 * with `app.request`: no socket, no port. One per test file (beforeAll), closed in afterAll.
 * @module
 */
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { loadEnv, type Env } from '../../../config/env.js';
import { createRuntime, type Runtime } from '../../../runtime/create-runtime.js';
import { createHttpDeps } from '../../../runtime/http-deps.js';
import { silentLogger } from '../../../shared/logger.js';
import type { HttpDeps } from '../../app-context.js';
import { createHttpApp } from '../../app.js';
import { copyDataDir } from './data-dir.js';

export const JWT_SECRET = 'route-tests-secret-route-tests-secret-0123';
/** Account tokens (not guests) carry this issuer; guest tokens carry ours ("mock-drama"). */
export const ACCOUNT_ISSUER = 'https://accounts.route-tests.invalid/auth/v1';
export const ADMIN_TOKEN = 'route-tests-admin-token-0123456789';

/** A response, its body parsed when it is JSON. */
export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface RequestOptions {
  token?: string;
  /** An object is sent as JSON; a string as it is (malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Call = (method: string, path: string, options?: RequestOptions) => Promise<Reply>;

export interface User {
  userId: string;
  token: string;
  /** A request with this user's token. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
}

export interface TestApp {
  env: Env;
  runtime: Runtime;
  deps: HttpDeps;
  request: Call;
  /** The same runtime behind an app built with other deps (a metrics token, a draining flag, rate limits…). */
  withDeps(patch: Partial<HttpDeps>): Call;
  /** A new guest, through POST /api/auth/guest. */
  guest(): Promise<User>;
  /** A signed-in account (an identity provider's HS256 token); `admin` adds `app_metadata.role: admin`. */
  account(options?: { admin?: boolean; sub?: string }): Promise<User>;
  /** A user for a token: the token as it is, `userId` from its `sub`. */
  userFor(token: string, userId: string): User;
  /** The id of a shipped story (tests/fixtures/<slug>.ink). */
  storyId(slug?: string): Promise<string>;
  /** A new session of `user` on a shipped story. */
  newSession(user: User, slug?: string): Promise<string>;
  /** Poll GET /api/story/status/:task_id until the task completed or failed. */
  waitForTask(user: User, taskId: string): Promise<Reply['body']>;
  /** Post an action and wait for its turn; returns the final task status. */
  play(user: User, sessionId: string, input?: string): Promise<Reply['body']>;
  close(): Promise<void>;
}

function send(app: { request(path: string, init: RequestInit): Response | Promise<Response> }): Call {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
      // As a real client sends it: the body limit decides on it.
      headers['content-length'] ??= String(Buffer.byteLength(body));
    }
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
}

/** Assert the error answer: status, `{error: {code, message}}` and the code. */
export function expectError(res: Reply, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(res.body.error.message.length).toBeGreaterThan(0);
}

/** An account's access token, as an identity provider signs it (HS256, our issuer for accounts). */
async function signAccountToken(userId: string, admin: boolean): Promise<string> {
  return new SignJWT({ role: 'authenticated', ...(admin ? { app_metadata: { role: 'admin' } } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience('authenticated')
    .setIssuer(ACCOUNT_ISSUER)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

async function waitForTask(user: User, taskId: string): Promise<Reply['body']> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await user.call('GET', `/api/story/status/${taskId}`);
    expect(res.status).toBe(200);
    if (res.body.status === 'completed' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${res.body.status} after 10 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The runtime over its own copy of the migrated database; `close` removes the copy too. */
async function openRuntime(envOverrides: Record<string, string>): Promise<{ env: Env; runtime: Runtime; close(): Promise<void> }> {
  const base = loadEnv({
    STORIES_DIR: 'tests/fixtures',
    LOG_LEVEL: 'silent',
    JWT_SECRET,
    JWT_ISSUER: ACCOUNT_ISSUER,
    GUEST_AUTH: 'on',
    ADMIN_TOKEN,
    TURN_BACKOFF_MS: '20',
    NARRATION_FLUSH_MS: '0',
    // In-process PGlite, like ':memory:' (a thread is the production default for a data directory).
    PGLITE_THREAD: 'off',
    ...envOverrides,
  });
  const dataDir = await copyDataDir(base);
  const env = { ...base, DATA_DIR: dataDir.dir };
  try {
    const runtime = await createRuntime(env, { logger: silentLogger(), role: 'all' });
    return { env, runtime, close: () => runtime.close().finally(() => dataDir.remove()) };
  } catch (err) {
    dataDir.remove();
    throw err;
  }
}

/** Build the app over a fresh runtime; `envOverrides` on top of the test defaults. */
export async function createTestApp(envOverrides: Record<string, string> = {}): Promise<TestApp> {
  const { env, runtime, close } = await openRuntime(envOverrides);
  const deps = createHttpDeps(env, runtime, runtime.deps.logger, { isDraining: () => false });
  const request = send(createHttpApp(deps).app);
  const stories = new Map<string, string>();
  const userFor = (token: string, userId: string): User => ({
    userId,
    token,
    call: (method, path, body, headers) => request(method, path, { token, body, ...(headers ? { headers } : {}) }),
  });
  const storyId = async (slug = 'vault') => {
    if (!stories.has(slug)) {
      const story = (await runtime.service.listStories('route-tests')).find((s) => s.slug === slug);
      if (!story) throw new Error(`no shipped story ${slug} in ${env.STORIES_DIR}`);
      stories.set(slug, story.id);
    }
    return stories.get(slug)!;
  };
  return {
    env,
    runtime,
    deps,
    request,
    withDeps: (patch) => send(createHttpApp({ ...deps, ...patch }).app),
    userFor,
    async guest() {
      const res = await request('POST', '/api/auth/guest');
      expect(res.status).toBe(200);
      return userFor(res.body.token, res.body.user_id);
    },
    async account(options = {}) {
      const userId = options.sub ?? crypto.randomUUID();
      return userFor(await signAccountToken(userId, options.admin ?? false), userId);
    },
    storyId,
    async newSession(user, slug = 'vault') {
      const res = await user.call('POST', '/api/sessions', { story_id: await storyId(slug) });
      expect(res.status).toBe(201);
      return res.body.session_id as string;
    },
    waitForTask,
    async play(user, sessionId, input = 'I light the old brass lamp') {
      const accepted = await user.call('POST', '/api/story/action', { session_id: sessionId, user_input: input });
      expect(accepted.status).toBe(202);
      const done = await waitForTask(user, accepted.body.task_id);
      expect(done.status).toBe('completed');
      return done;
    },
    close,
  };
}
