/**
 * Random requests against every route of the running server (real sockets): each route from the
 * OpenAPI document plus the SSE and WebSocket routes, with hostile methods, path parameters,
 * query strings, headers, tokens and bodies.
 *
 * Invariants, checked after every request:
 * - never a 5xx, never a hang;
 * - every non-2xx JSON answer has the `{error: {code, message}}` shape;
 * - no data of one user reaches another (the other user's id and the ids of their sessions,
 *   private stories and tasks never appear in an id field of a 2xx answer, and a stream only
 *   opens for the session's owner);
 * - nothing changes in the database except what a valid request legitimately creates (a story,
 *   a session), and those belong to the caller. Requests that would legitimately queue a turn
 *   (a valid action by a session's owner) are never generated.
 *
 * Values are generated symbolically (`{ $ref: 'sessionB' }`, `{ $repeat: 'a', times: 9000 }`) and
 * resolved when sent, so a shrunk counterexample reads as a request.
 *
 * FUZZ_RUNS and FUZZ_SEED override the run count and the (fixed, for determinism) seed;
 * FUZZ_TIME_LIMIT_MS bounds the run; FUZZ_DEBUG=1 prints every request, its answer and its time.
 */
import http from 'node:http';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { eventually } from '../support/test-env.js';

const JWT_SECRET = 'fuzz-secret-fuzz-secret-fuzz-secret-0123456789';
const MAX_BODY_BYTES = 8192;
const MAX_INPUT_CHARS = 500;
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 424242);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 40_000);
const REQUEST_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------- symbolic values

type User = 'A' | 'B';
const ID_REFS = ['sessionA', 'sessionB', 'sessionAEnded', 'storyPublic', 'storyPrivA', 'storyPrivB', 'taskA', 'taskB', 'userA'] as const;
type IdRef = (typeof ID_REFS)[number];
const TOKEN_REFS = ['A', 'B', 'expiredA', 'wrongSecretA', 'noSubject', 'wrongAudience', 'wrongIssuer', 'algNone', 'garbage'] as const;
type TokenRef = (typeof TOKEN_REFS)[number];

/** A URL component: a real id, text to percent-encode, a pre-encoded raw piece, or a long repetition. */
type Piece = { $ref: IdRef } | { $token: TokenRef } | { text: string } | { raw: string } | { $repeat: string; times: number };
type JsonLike = null | boolean | number | string | JsonLike[] | { [k: string]: JsonLike } | { $ref: IdRef } | { $repeat: string; times: number };
type Body =
  | { json: JsonLike }
  | { raw: string }
  | { nested: 'array' | 'object'; depth: number }
  | { oversize: number; wrapInJson: boolean };
type AuthHeader = { bearer: TokenRef; scheme: string } | { raw: string } | { $repeat: string; times: number };

interface Spec {
  transport: 'http' | 'ws';
  method: string;
  /** A route template from the OpenAPI document (or a stream route), possibly mangled. */
  route: string;
  mangle: 'none' | 'trailing-slash' | 'double-slash' | 'upper' | 'dot-segment';
  params: Piece[];
  query: [string, Piece][];
  auth: AuthHeader | null;
  headers: [string, Piece][];
  contentType: string | null;
  body: Body | null;
}

// ---------------------------------------------------------------- arbitraries

/** Header-safe text (Node refuses control characters in header values). */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength });

const sqlish = ["' OR '1'='1", "1; DROP TABLE sessions; --", '" OR ""="', "x' UNION SELECT id, owner_id FROM sessions --", '$1', '%', '_', '\\'];

const rawPieces = [
  '',
  ' '.trim(),
  '%20',
  '.',
  '..',
  '..%2F',
  '..%2F..%2Fstories',
  '%2e%2e%2f%2e%2e%2fhealthz',
  '..%5C..%5C',
  '%00',
  'abc%00def',
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%FF%FE',
  '%F0%9F%98',
  '%ED%A0%80', // an encoded lone surrogate
  'null',
  'undefined',
  '0',
  '-1',
  '1e400',
  '99999999999999999999',
  'NaN',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  "%27%20OR%201%3D1--",
];

/** Mostly the two real users' tokens, so most requests get past authentication. */
const tokenRef: fc.Arbitrary<TokenRef> = fc.oneof({ weight: 8, arbitrary: fc.constantFrom<TokenRef>('A', 'B') }, { weight: 2, arbitrary: fc.constantFrom(...TOKEN_REFS) });

const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ID_REFS).map((r) => ({ $ref: r }) as Piece) },
  { weight: 1, arbitrary: tokenRef.map((t) => ({ $token: t }) as Piece) },
  { weight: 3, arbitrary: fc.constantFrom(...rawPieces).map((raw) => ({ raw }) as Piece) },
  { weight: 2, arbitrary: fc.constantFrom(...sqlish).map((text) => ({ text }) as Piece) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map((text) => ({ text }) as Piece) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((text) => ({ text: text.toWellFormed() }) as Piece) },
  { weight: 1, arbitrary: fc.record({ $repeat: fc.constantFrom('a', '字', '%41', '-'), times: fc.integer({ min: 90, max: 2500 }) }) },
);

/** Field values inside JSON bodies: real ids, hostile strings (NUL, lone surrogates…), wrong types. */
const fieldValue: fc.Arbitrary<JsonLike> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ID_REFS).map((r) => ({ $ref: r }) as JsonLike) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e', '\ufeff', 'I light the old brass lamp', '字'.repeat(10), ...sqlish) },
  { weight: 1, arbitrary: fc.record({ $repeat: fc.constantFrom('a', '字', '\u0000', '😀'), times: fc.integer({ min: 1, max: 6000 }) }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }) as fc.Arbitrary<JsonLike> },
);

const storySources = [
  'Hello.\n-> END\n',
  '# title: Fuzz tale\nOnce upon a time.\n* [Go on] Onwards.\n-> END\n',
  '-> a\n=== a ===\nHi.\n+ [Again] -> a\n+ [Stop] -> END\n',
  '-> start\n=== start ===\nHi {oops\n* [Go] -> nowhere\n', // does not compile
  '',
  '   ',
  'VAR x = 1\n~ x = x +\n',
];

const refOf = (...refs: IdRef[]) => fc.constantFrom(...refs).map((r) => ({ $ref: r }) as JsonLike);
const SESSION_REFS: IdRef[] = ['sessionA', 'sessionB', 'sessionAEnded'];
const STORY_REFS: IdRef[] = ['storyPublic', 'storyPrivA', 'storyPrivB'];
const TASK_REFS: IdRef[] = ['taskA', 'taskB'];
/** Half the time a value that fits the field, so requests get past validation to the logic behind it. */
const plausible = (fits: fc.Arbitrary<JsonLike>) => fc.oneof({ weight: 1, arbitrary: fits }, { weight: 1, arbitrary: fieldValue });

/** Bodies shaped like each route's schema, with every field optional and any value. */
const actionBody: fc.Arbitrary<JsonLike> = fc.record(
  {
    session_id: plausible(refOf(...SESSION_REFS)),
    user_input: plausible(fc.constantFrom('I light the old brass lamp', 'say hello', '字'.repeat(500), 'a'.repeat(501), ' \u0000 ', '\u0000'.repeat(600) + 'x')),
    action: fc.oneof(fc.constantFrom('do', 'say', 'story', 'continue', 'dance', 'DO', ''), fieldValue),
    extra: fieldValue,
  },
  { requiredKeys: [] },
);
const sessionBody: fc.Arbitrary<JsonLike> = fc.record({ story_id: plausible(refOf(...STORY_REFS)), extra: fieldValue }, { requiredKeys: ['story_id'] });
const storyBody: fc.Arbitrary<JsonLike> = fc.record(
  {
    title: plausible(fc.constantFrom('My story', '  ', '', '故事', 'x'.repeat(201), 'a\u0000b')),
    source: plausible(fc.constantFrom(...storySources)),
    slug: plausible(fc.constantFrom('vault', 'fuzz-tale', 'UPPER', '-bad', 'a'.repeat(65), 'ok-slug')),
  },
  { requiredKeys: ['title', 'source'] },
);
const templates: Record<string, fc.Arbitrary<JsonLike>> = { '/api/story/action': actionBody, '/api/sessions': sessionBody, '/api/stories': storyBody };
const anyTemplate = fc.oneof(actionBody, sessionBody, storyBody);

const invalidJson = ['{', '{"session_id": ', "{'a': 1}", 'nul', 'undefined', '{"a":1,}', '\u0000', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '[1,2', '"\\x"', '1e999999', '--', 'NaN'];

const bodyFor = (route: string): fc.Arbitrary<Body> => fc.oneof(
  { weight: 6, arbitrary: (templates[route] ?? anyTemplate).map((json) => ({ json }) as Body) },
  { weight: 1, arbitrary: anyTemplate.map((json) => ({ json }) as Body) },
  { weight: 1, arbitrary: anyTemplate.map((json) => ({ json: [json] }) as Body) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }).map((json) => ({ json: json as JsonLike }) as Body) },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom(...invalidJson), fc.string({ unit: 'binary', maxLength: 60 })).map((raw) => ({ raw }) as Body) },
  { weight: 1, arbitrary: fc.record({ nested: fc.constantFrom('array' as const, 'object' as const), depth: fc.integer({ min: 50, max: 4000 }) }) },
  { weight: 1, arbitrary: fc.record({ oversize: fc.integer({ min: MAX_BODY_BYTES + 1, max: 40_000 }), wrapInJson: fc.boolean() }) },
);

const authHeader: fc.Arbitrary<AuthHeader> = fc.oneof(
  { weight: 12, arbitrary: tokenRef.map((t) => ({ bearer: t, scheme: 'Bearer' }) as AuthHeader) },
  { weight: 1, arbitrary: fc.record({ bearer: tokenRef, scheme: fc.constantFrom('bearer', 'BEARER', 'Basic', 'Token', '', 'Bearer  ', 'Bearer x') }) },
  { weight: 1, arbitrary: headerText(60).map((raw) => ({ raw }) as AuthHeader) },
  { weight: 1, arbitrary: fc.record({ $repeat: fc.constantFrom('a', 'Bearer '), times: fc.integer({ min: 100, max: 7000 }) }) },
);

const contentType = fc.oneof(
    { weight: 5, arbitrary: fc.constant('application/json') },
    { weight: 2, arbitrary: fc.constantFrom(
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/vnd.api+json',
    'application/json; charset=utf-16',
    'text/plain',
    'text/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    '*/*',
    'garbage',
    '',
  ) },
);

const extraHeader: fc.Arbitrary<[string, Piece]> = fc.tuple(
  fc.constantFrom('idempotency-key', 'idempotency-key', 'x-request-id', 'last-event-id', 'accept', 'x-junk', 'content-encoding', 'accept-encoding', 'origin', 'cookie', 'x-forwarded-for'),
  fc.oneof(
    { weight: 2, arbitrary: tokenRef.map((t) => ({ $token: t }) as Piece) },
    { weight: 2, arbitrary: fc.constantFrom(...ID_REFS).map((r) => ({ $ref: r }) as Piece) },
    { weight: 3, arbitrary: headerText(40).map((raw) => ({ raw }) as Piece) },
    { weight: 3, arbitrary: fc.constantFrom('', '0', '-1', '1e400', 'gzip', 'text/event-stream', '99999999999999999999').map((raw) => ({ raw }) as Piece) },
    { weight: 1, arbitrary: fc.record({ $repeat: fc.constantFrom('k', 'é'), times: fc.integer({ min: 150, max: 7000 }) }) },
  ),
);

const queryKey = fc.constantFrom('token', 'token', 'since', 'after', 'limit', 'x', '', 'token[]', 'id');
const queryEntry: fc.Arbitrary<[string, Piece]> = fc.oneof(
  fc.tuple(fc.constant('token'), tokenRef.map((t) => ({ $token: t }) as Piece)),
  fc.tuple(queryKey, piece),
);
const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

function specArbitrary(routes: { path: string; methods: string[]; weight: number }[]): fc.Arbitrary<Spec> {
  const httpSpec = fc
    .oneof(...routes.map((r) => ({ weight: r.weight, arbitrary: fc.constant(r) })))
    .chain((route) =>
      fc.record({
        transport: fc.constant('http' as const),
        method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...route.methods) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) }),
        route: fc.constant(route.path),
        mangle: fc.oneof({ weight: 12, arbitrary: fc.constant('none' as const) }, { weight: 1, arbitrary: fc.constantFrom('trailing-slash' as const, 'double-slash' as const, 'upper' as const, 'dot-segment' as const) }),
        params: fc.array(paramFor(route.path), { minLength: slots(route.path), maxLength: slots(route.path) }),
        query: fc.array(queryEntry, { maxLength: 3 }),
        auth: maybe(authHeader, 12),
        headers: fc.array(extraHeader, { maxLength: 3 }),
        contentType: maybe(contentType, 5),
        body: maybe(bodyFor(route.path), route.methods.includes('POST') ? 8 : 1),
      }),
    );
  const wsSpec = fc.record({
    transport: fc.constant('ws' as const),
    method: fc.constant('GET'),
    route: fc.constant('/ws/story/{session_id}'),
    mangle: fc.constant('none' as const),
    params: fc.array(paramFor('/ws/story/{session_id}'), { minLength: 1, maxLength: 1 }),
    query: fc.array(queryEntry, { minLength: 1, maxLength: 3 }),
    auth: maybe(authHeader, 3),
    headers: fc.array(extraHeader, { maxLength: 2 }),
    contentType: fc.constant(null),
    body: fc.constant(null),
  });
  return fc.oneof({ weight: 5, arbitrary: httpSpec }, { weight: 1, arbitrary: wsSpec });
}

/**
 * `arb` about `weight` times in `weight + 1`, else null. (fc.option's bias towards "none" for
 * small sizes would leave most requests without a token or body.)
 */
function maybe<T>(arb: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight, arbitrary: arb });
}

/** A path parameter: often an id of the kind the route expects, else anything. */
function paramFor(route: string): fc.Arbitrary<Piece> {
  const refs = route.startsWith('/api/stories') ? STORY_REFS : route.startsWith('/api/story/status') ? TASK_REFS : route.includes('session') ? SESSION_REFS : [...ID_REFS];
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...refs).map((r) => ({ $ref: r }) as Piece) }, { weight: 1, arbitrary: piece });
}

function slots(template: string): number {
  return (template.match(/\{[^}]+\}/g) ?? []).length;
}

// ---------------------------------------------------------------- the world under test

interface World {
  server: RunningServer;
  tokens: Record<TokenRef, string>;
  ids: Record<IdRef, string>;
  userIds: Record<User, string>;
  /** Sessions each user owns (ids), and which of them have ended. */
  owned: Record<User, Set<string>>;
  ended: Set<string>;
  /** Stories each user may see (public + own). */
  visible: Record<User, Set<string>>;
  /** Ids that must never appear in a 2xx answer to the other user. */
  secrets: Record<User, string[]>;
}

/**
 * A story in a 2xx answer (created, or changed by PATCH) may have been shared or unshared by its
 * owner: keep the model of who sees it in step. Once public, its id is no secret any more (a
 * session started on it meanwhile names it), even if it turns private again.
 */
function trackStoryVisibility(w: World, story: { id?: unknown; owner_id?: unknown; visibility?: unknown }): void {
  if (typeof story.id !== 'string' || (story.visibility !== 'public' && story.visibility !== 'private')) return;
  for (const user of ['A', 'B'] as const) {
    if (w.userIds[user] === story.owner_id) {
      if (story.visibility === 'public') w.secrets[user] = w.secrets[user].filter((id) => id !== story.id);
    } else if (story.visibility === 'public') w.visible[user].add(story.id);
    else w.visible[user].delete(story.id);
  }
}

function resolveText(p: Piece, w: World): string {
  if ('$ref' in p) return w.ids[p.$ref];
  if ('$token' in p) return w.tokens[p.$token];
  if ('$repeat' in p) return p.$repeat.repeat(p.times);
  if ('raw' in p) return p.raw;
  return p.text;
}

/** A piece as it goes into a URL: ids and tokens are URL-safe, text is percent-encoded, raw is sent as is. */
function urlPiece(p: Piece, w: World): string {
  if ('text' in p) return encodeURIComponent(p.text);
  if ('$repeat' in p) return encodeURIComponent(p.$repeat).repeat(p.times);
  return resolveText(p, w);
}

function resolveJson(v: JsonLike, w: World): unknown {
  if (Array.isArray(v)) return v.map((x) => resolveJson(x, w));
  if (v && typeof v === 'object') {
    if ('$ref' in v && typeof v.$ref === 'string' && Object.keys(v).length === 1) return w.ids[v.$ref as IdRef];
    if ('$repeat' in v && typeof v.$repeat === 'string' && Object.keys(v).length === 2) return v.$repeat.repeat(Number(v.times));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveJson(x as JsonLike, w)]));
  }
  return v;
}

function bodyText(b: Body, w: World): string {
  if ('json' in b) return JSON.stringify(resolveJson(b.json, w)) ?? 'null';
  if ('raw' in b) return b.raw;
  if ('nested' in b) return b.nested === 'array' ? '['.repeat(b.depth) + ']'.repeat(b.depth) : '{"a":'.repeat(b.depth) + '1' + '}'.repeat(b.depth);
  const filler = 'x'.repeat(b.oversize);
  return b.wrapInJson ? JSON.stringify({ session_id: w.ids.sessionA, user_input: filler }) : filler;
}

interface Built {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
  /** The user whose credential the server should act on, if any. */
  effectiveUser: User | null;
  describe: string;
}

function tokenUser(token: string | undefined, w: World): User | null {
  if (token === w.tokens.A) return 'A';
  if (token === w.tokens.B) return 'B';
  return null;
}

function authLabel(auth: AuthHeader | null): string {
  if (!auth) return 'no Authorization';
  if ('bearer' in auth) return `Authorization: ${auth.scheme} <token ${auth.bearer}>`;
  if ('raw' in auth) return `Authorization: ${JSON.stringify(auth.raw)}`;
  return `Authorization: ${JSON.stringify(auth.$repeat)}×${auth.times}`;
}

function build(spec: Spec, w: World): Built {
  let i = 0;
  let path = spec.route.replace(/\{[^}]+\}/g, () => urlPiece(spec.params[i++]!, w));
  if (spec.mangle === 'trailing-slash') path += '/';
  else if (spec.mangle === 'double-slash') path = path.replace('/api/', '/api//');
  else if (spec.mangle === 'upper') path = path.replace('/api/', '/API/');
  else if (spec.mangle === 'dot-segment') path = path.replace('/api/', '/api/./x/../');
  const query = spec.query.map(([k, v]) => `${k}=${urlPiece(v, w)}`).join('&');
  if (query) path += `?${query}`;

  const headers: Record<string, string> = {};
  let authValue: string | null = null;
  if (spec.auth) {
    if ('bearer' in spec.auth) authValue = `${spec.auth.scheme} ${w.tokens[spec.auth.bearer]}`;
    else if ('raw' in spec.auth) authValue = spec.auth.raw;
    else authValue = spec.auth.$repeat.repeat(spec.auth.times);
    headers.authorization = authValue;
  }
  for (const [name, value] of spec.headers) headers[name] = resolveText(value, w).replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
  if (spec.contentType !== null) headers['content-type'] = spec.contentType;

  // Which credential the server honours: the Authorization header when present (an empty one
  // counts as absent; the parser trims header values), else ?token=.
  let effectiveUser: User | null;
  if (authValue !== null && authValue.trim() !== '') effectiveUser = tokenUser(/^Bearer\s+(\S+)$/i.exec(authValue)?.[1], w);
  else {
    const first = spec.query.find(([k]) => k === 'token');
    effectiveUser = first ? tokenUser(urlPiece(first[1], w), w) : null;
  }
  const text = spec.body && spec.method !== 'HEAD' && spec.transport === 'http' ? bodyText(spec.body, w) : null;
  const short = (s: string) => (s.length > 160 ? `${s.slice(0, 160)}…(${s.length} chars)` : s);
  return {
    method: spec.method,
    path,
    headers,
    body: text,
    effectiveUser,
    describe: `${spec.transport === 'ws' ? 'WS ' : ''}${spec.method} ${short(path)} as ${effectiveUser ?? 'nobody'} (${authLabel(spec.auth)})${text !== null ? ` body=${short(text)}` : ''}`,
  };
}

/**
 * Would this request legitimately queue a turn? True for a POST to the action route by the owner
 * of a live session with an acceptable body. Deliberately generous: anything close is excluded,
 * so a 202 for what is left is a real bug.
 */
function wouldQueueTurn(spec: Spec, b: Built, w: World): boolean {
  // A retry by the session's owner re-runs its last turn (any body, any path mangling that still
  // names the route): as legitimate a 202 as an action.
  if (spec.transport === 'http' && spec.method === 'POST' && spec.route.endsWith('/retry') && b.effectiveUser) {
    return spec.params.some((p) => '$ref' in p && w.owned[b.effectiveUser!].has(w.ids[p.$ref]));
  }
  if (spec.transport !== 'http' || spec.method !== 'POST' || spec.route !== '/api/story/action' || !spec.body || !b.effectiveUser) return false;
  if (b.body === null || Buffer.byteLength(b.body) > MAX_BODY_BYTES) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(b.body);
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
  const { session_id, user_input, action } = parsed as Record<string, unknown>;
  if (typeof session_id !== 'string' || !w.owned[b.effectiveUser].has(session_id) || w.ended.has(session_id)) return false;
  if (typeof user_input !== 'string') return false;
  if (action !== undefined && !['do', 'say', 'story', 'continue'].includes(action as string)) return false;
  // The server counts characters after removing control characters; count generously the same way.
  if ([...user_input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')].length > MAX_INPUT_CHARS) return false;
  const key = b.headers['idempotency-key'];
  if (key !== undefined && (key.length === 0 || key.length > 200)) return false;
  return true;
}

/**
 * Would this request delete one of the fixed sessions or stories (a legitimate DELETE by their
 * owner)? The later runs need them, so such requests are not generated. Generous, like
 * {@link wouldQueueTurn}: any DELETE by a user whose path holds any of their ids.
 */
function wouldDeleteFixture(spec: Spec, b: Built, w: World): boolean {
  if (spec.transport !== 'http' || b.method !== 'DELETE' || !b.effectiveUser) return false;
  const mine = [...w.owned[b.effectiveUser], ...w.visible[b.effectiveUser]];
  return mine.some((id) => b.path.includes(id));
}

// ---------------------------------------------------------------- sending

interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** A stream (SSE or WebSocket) was opened. */
  streamOpened: boolean;
}

function sendHttp(url: URL, b: Built): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (a: Answer | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (a instanceof Error) reject(a);
      else resolve(a);
      req.destroy();
    };
    // An explicit length: Node sends a GET/DELETE/OPTIONS body without one otherwise, which the
    // server rightly reads as a second, malformed request.
    const headers = b.body === null ? b.headers : { ...b.headers, 'content-length': String(Buffer.byteLength(b.body)) };
    const req = http.request({ host: url.hostname, port: url.port, method: b.method, path: b.path, headers, agent: false }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      const streaming = contentType.startsWith('text/event-stream');
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        // A live stream never ends by itself: its first frame is enough.
        if (streaming) finish({ status: res.statusCode!, contentType, text: Buffer.concat(chunks).toString('utf8'), streamOpened: true });
      });
      // (A HEAD answer ends right after its headers, even for a stream.)
      res.on('end', () => finish({ status: res.statusCode!, contentType, text: Buffer.concat(chunks).toString('utf8'), streamOpened: streaming && b.method !== 'HEAD' }));
      res.on('error', (err) => finish(err));
    });
    const deadline = setTimeout(() => finish(new Error(`no complete answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    req.on('error', (err) => finish(err));
    if (b.body !== null) req.end(b.body);
    else req.end();
  });
}

function sendWs(base: string, b: Built): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}${b.path}`, { headers: b.headers, handshakeTimeout: REQUEST_TIMEOUT_MS });
    let settled = false;
    const finish = (a: Answer | Error) => {
      if (settled) return;
      settled = true;
      if (a instanceof Error) reject(a);
      else resolve(a);
    };
    ws.once('open', () => {
      ws.close();
      finish({ status: 101, contentType: '', text: '', streamOpened: true });
    });
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8'), streamOpened: false }));
      res.on('error', (e) => finish(e));
    });
    ws.once('error', (e) => finish(e));
    setTimeout(() => {
      ws.terminate();
      finish(new Error(`no WebSocket answer within ${REQUEST_TIMEOUT_MS} ms`));
    }, REQUEST_TIMEOUT_MS).unref();
  });
}

const ID_KEYS = new Set(['id', 'session_id', 'story_id', 'task_id', 'owner_id', 'user_id']);

/** Values of id fields anywhere in a JSON answer (or in the JSON data lines of an SSE frame). */
function idsIn(answer: Answer): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (ID_KEYS.has(k) && typeof x === 'string') found.add(x);
        walk(x);
      }
    }
  };
  const docs = answer.contentType.startsWith('text/event-stream')
    ? answer.text.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5))
    : /json/i.test(answer.contentType)
      ? [answer.text]
      : [];
  for (const d of docs) {
    try {
      walk(JSON.parse(d));
    } catch {
      // not JSON: nothing structured to check
    }
  }
  return found;
}

// ---------------------------------------------------------------- database-visible state

async function snapshot(w: World): Promise<{ stories: Map<string, string>; sessions: Map<string, string> }> {
  const store = w.server.runtime.deps.store;
  const stories = new Map((await store.stories.listStories()).map((s) => [s.id, JSON.stringify(s)]));
  const sessions = new Map<string, string>();
  for (const id of [w.ids.sessionA, w.ids.sessionB, w.ids.sessionAEnded]) {
    const [session, turns, memories] = await Promise.all([store.sessions.getSession(id), store.turns.listTurns(id, { limit: 1000 }), store.memories.list(id)]);
    sessions.set(id, JSON.stringify({ session, turns, memories }));
  }
  return { stories, sessions };
}

function diffKeys(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k));
}

// ---------------------------------------------------------------- the test

describe('HTTP fuzzing: random requests to every route', () => {
  const w = {} as World;
  let routes: { path: string; methods: string[]; weight: number }[] = [];
  const statuses = new Map<string, number>();
  // The server runs in this process: a rejection nobody handled would show up here.
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);

  beforeAll(async () => {
    const env = loadEnv({
      JWT_SECRET,
      LOG_LEVEL: 'silent',
      DATA_DIR: ':memory:',
      STORIES_DIR: 'tests/fixtures',
      PORT: '0',
      HOST: '127.0.0.1',
      MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      MAX_INPUT_CHARS: String(MAX_INPUT_CHARS),
      MAX_INK_SOURCE_BYTES: '4096',
      TURN_BACKOFF_MS: '20',
      // Players' provider keys on, so their routes are fuzzed for real (without it they answer 501 by design).
      PROVIDER_KEY_SECRET: 'fb'.repeat(32),
      // Limits high enough that most requests reach the logic behind them, low enough that a long
      // run also exercises the 429 and quota paths.
      RATE_LIMIT_ACTIONS_PER_MINUTE: '100',
      RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP: '150',
      RATE_LIMIT_UPLOADS_PER_HOUR: '40',
      RATE_LIMIT_UPLOADS_PER_HOUR_PER_IP: '60',
    });
    w.server = await startServer(env, silentLogger());
    const anon = api(w.server.url);
    const guestA = (await anon('POST', '/api/auth/guest')).body;
    const guestB = (await anon('POST', '/api/auth/guest')).body;
    const secret = new TextEncoder().encode(JWT_SECRET);
    const sign = (claims: { sub?: string; aud?: string; iss?: string; exp?: number }, key = secret) => {
      let jwt = new SignJWT({ role: 'authenticated' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt();
      if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
      jwt = jwt.setAudience(claims.aud ?? 'authenticated').setIssuer(claims.iss ?? 'mock-drama').setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 3600);
      return jwt.sign(key);
    };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    w.tokens = {
      A: guestA.token,
      B: guestB.token,
      expiredA: await sign({ sub: guestA.user_id, exp: Math.floor(Date.now() / 1000) - 60 }),
      wrongSecretA: await sign({ sub: guestA.user_id }, new TextEncoder().encode('another-secret-another-secret-0123456789')),
      noSubject: await sign({}),
      wrongAudience: await sign({ sub: guestA.user_id, aud: 'anon' }),
      wrongIssuer: await sign({ sub: guestA.user_id, iss: 'someone-else' }),
      algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: guestA.user_id, aud: 'authenticated', iss: 'mock-drama', exp: 4102444800 })}.`,
      garbage: 'not.a.jwt',
    };
    w.userIds = { A: guestA.user_id, B: guestB.user_id };
    const callA = api(w.server.url, w.tokens.A);
    const callB = api(w.server.url, w.tokens.B);
    const storyPublic = (await callA('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id as string;
    const privA = await callA('POST', '/api/stories', { title: 'A private', source: 'Only for A.\n* [Go] -> END\n' });
    const privB = await callB('POST', '/api/stories', { title: 'B private', source: 'Only for B.\n* [Go] -> END\n' });
    expect([privA.status, privB.status]).toEqual([201, 201]);

    const playOnce = async (call: ReturnType<typeof api>, input: string) => {
      const sessionId = (await call('POST', '/api/sessions', { story_id: storyPublic })).body.session_id as string;
      const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: input });
      expect(accepted.status).toBe(202);
      await eventually(async () => {
        const r = await call('GET', `/api/story/status/${accepted.body.task_id}`);
        return r.body.status === 'completed' ? true : undefined;
      });
      return { sessionId, taskId: accepted.body.task_id as string };
    };
    const a = await playOnce(callA, 'I light the old brass lamp');
    const b = await playOnce(callB, 'I light the old brass lamp');
    const ended = await playOnce(callA, 'Leave the vault through the front door');
    expect((await callA('GET', `/api/sessions/${ended.sessionId}`)).body.status).toBe('ended');

    w.ids = {
      sessionA: a.sessionId,
      sessionB: b.sessionId,
      sessionAEnded: ended.sessionId,
      storyPublic,
      storyPrivA: privA.body.id,
      storyPrivB: privB.body.id,
      taskA: a.taskId,
      taskB: b.taskId,
      userA: guestA.user_id,
    };
    w.owned = { A: new Set([a.sessionId, ended.sessionId]), B: new Set([b.sessionId]) };
    w.ended = new Set([ended.sessionId]);
    w.visible = { A: new Set([storyPublic, privA.body.id]), B: new Set([storyPublic, privB.body.id]) };
    w.secrets = { A: [a.sessionId, ended.sessionId, privA.body.id, a.taskId, guestA.user_id], B: [b.sessionId, privB.body.id, b.taskId, guestB.user_id] };

    const doc = (await anon('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    // Routes of the API document (weighted up: that is where the logic is), the SSE route, and the rest.
    routes = Object.entries(doc.paths).map(([path, ops]) => ({ path, methods: Object.keys(ops).map((m) => m.toUpperCase()), weight: path === '/api/auth/guest' ? 1 : 4 }));
    routes.push(
      { path: '/api/sessions/{id}/events', methods: ['GET'], weight: 4 },
      { path: '/healthz', methods: ['GET'], weight: 1 },
      { path: '/readyz', methods: ['GET'], weight: 1 },
      { path: '/openapi.json', methods: ['GET'], weight: 1 },
      { path: '/docs', methods: ['GET'], weight: 1 },
      { path: '/api/{id}', methods: ['GET', 'POST'], weight: 1 },
      { path: '/{id}', methods: ['GET'], weight: 1 },
    );
  });

  afterAll(async () => {
    if ((process.env.FUZZ_DEBUG || process.env.FUZZ_SUMMARY || RUNS >= 1000) && statuses.size) {
      const byStatus = new Map<string, number>();
      for (const [k, n] of statuses) byStatus.set(k.split(' ').at(-1)!, (byStatus.get(k.split(' ').at(-1)!) ?? 0) + n);
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      console.log(`http fuzz: ${total} requests sent; by status ${[...byStatus].sort().map(([k, n]) => `${k}×${n}`).join(' ')}`);
      console.log(`http fuzz outcomes: ${[...statuses].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}×${n}`).join(' ')}`);
    }
    await w.server?.shutdown();
    process.off('unhandledRejection', onUnhandled);
  });

  it('the OpenAPI document lists the routes under test', () => {
    const paths = routes.map((r) => r.path);
    for (const p of ['/api/auth/guest', '/api/stories', '/api/stories/{id}', '/api/sessions', '/api/sessions/{id}', '/api/sessions/{id}/turns', '/api/story/action', '/api/story/status/{task_id}']) {
      expect(paths).toContain(p);
    }
  });

  it(`${RUNS} random requests: no 5xx, error bodies well-formed, no leaks across users, no unintended writes`, async () => {
    const base = new URL(w.server.url);
    let expected = await snapshot(w);

    const property = fc.asyncProperty(specArbitrary(routes), async (spec) => {
      const b = build(spec, w);
      fc.pre(!wouldQueueTurn(spec, b, w) && !wouldDeleteFixture(spec, b, w));
      const sentAt = performance.now();
      const answer = spec.transport === 'ws' ? await sendWs(w.server.url, b) : await sendHttp(base, b);
      const tookMs = Math.round(performance.now() - sentAt);
      const where = `${b.describe}\n  → ${answer.status} ${answer.contentType} ${answer.text.slice(0, 400)}`;
      const route = spec.route.replace(/^\/api\/sessions\/\{id\}\/events$/, 'SSE').replace(/^\/ws.*/, 'WS');
      const outcome = `${spec.transport === 'ws' ? 'WS' : spec.method} ${route} ${answer.status}`;
      statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
      if (process.env.FUZZ_DEBUG) console.log(`[${tookMs} ms] ${where.slice(0, 600)}`);

      // 1. Never a server error.
      if (answer.status >= 500) throw new Error(`server error: ${where}`);

      // 2. Error answers in JSON have our shape. (Refused WebSocket upgrades carry no body: see
      //    ws-sse-edge.test.ts, "known bug" — their status is still checked above and below.)
      if (answer.status >= 400 && /json/i.test(answer.contentType) && b.method !== 'HEAD' && !(spec.transport === 'ws' && answer.text === '')) {
        let parsed: { error?: { code?: unknown; message?: unknown } } | null = null;
        try {
          parsed = JSON.parse(answer.text);
        } catch {
          throw new Error(`error body is not JSON: ${where}`);
        }
        if (typeof parsed?.error?.code !== 'string' || typeof parsed.error.message !== 'string') throw new Error(`error body without {error:{code,message}}: ${where}`);
      }

      // 3. Nothing of one user reaches the other: no id of theirs in an id field of a 2xx answer
      //    (titles and slugs may legitimately echo any text the caller chose).
      const reader = b.effectiveUser;
      if (answer.status < 300) {
        const ids = idsIn(answer);
        for (const owner of ['A', 'B'] as const) {
          if (owner === reader) continue;
          const leaked = w.secrets[owner].filter((id) => ids.has(id));
          if (leaked.length) throw new Error(`user ${owner}'s ids ${leaked.join(', ')} reached ${reader ?? 'an anonymous caller'}: ${where}`);
        }
      }
      if (answer.streamOpened) {
        const param = spec.params[0];
        const ownSession = reader && param && '$ref' in param && w.owned[reader].has(w.ids[param.$ref]);
        if (!ownSession) throw new Error(`a stream opened for someone who does not own the session: ${where}`);
      }

      // 4. No unintended writes. A turn is never legitimately queued (such requests are not generated).
      if (answer.status === 202) throw new Error(`a turn was queued by a request that is not a valid action of the session's owner: ${where}`);
      const now = await snapshot(w);
      // What was created is told by the answer, not the route template: mangled paths (the router
      // resolves dot segments) may reach a create route too.
      const created = spec.transport === 'http' && answer.status === 201 ? (JSON.parse(answer.text) as Record<string, unknown>) : null;
      if (created && typeof created.slug === 'string') {
        const story = created as { id: string; owner_id: string | null };
        if (!reader || story.owner_id !== w.userIds[reader]) throw new Error(`a story was stored for someone other than the caller: ${where}`);
        const changed = diffKeys(expected.stories, now.stories);
        if (changed.some((id) => id !== story.id)) throw new Error(`creating story ${story.id} changed other stories ${changed.join(', ')}: ${where}`);
        w.visible[reader].add(story.id);
        if (!w.secrets[reader].includes(story.id)) w.secrets[reader].push(story.id);
        trackStoryVisibility(w, created);
        expected = { ...expected, stories: now.stories };
      } else if (created && typeof created.session_id === 'string' && 'opening' in created) {
        const sent = JSON.parse(b.body ?? 'null') as { story_id?: unknown } | null;
        if (!reader || typeof sent?.story_id !== 'string' || !w.visible[reader].has(sent.story_id)) throw new Error(`a session was started on a story the caller cannot see: ${where}`);
        const session = await w.server.runtime.deps.store.sessions.getSession(created.session_id);
        if (session?.ownerId !== w.userIds[reader] || session.turnNo !== 0) throw new Error(`new session ${created.session_id} has the wrong owner or turn: ${where}`);
        w.secrets[reader].push(created.session_id);
      } else if (created && !reader) throw new Error(`unexpected 201 for an anonymous caller: ${where}`);
      const storiesChanged = diffKeys(expected.stories, now.stories);
      const sessionsChanged = diffKeys(expected.sessions, now.sessions);
      if (storiesChanged.length || sessionsChanged.length) {
        // A successful write by the owner may change the owner's own data (memories, cards…);
        // a refused request, a read, or anyone else's request may change nothing.
        const ownStory = (id: string) => reader !== null && (JSON.parse(now.stories.get(id) ?? expected.stories.get(id) ?? '{}') as { ownerId?: string }).ownerId === w.userIds[reader];
        const legit =
          spec.transport === 'http' && answer.status < 300 && reader !== null && !['GET', 'HEAD', 'OPTIONS'].includes(b.method) &&
          sessionsChanged.every((id) => w.owned[reader].has(id)) && storiesChanged.every(ownStory);
        if (!legit) throw new Error(`database changed (stories ${storiesChanged.join(', ') || '-'}; sessions ${sessionsChanged.join(', ') || '-'}): ${where}`);
        if (b.method === 'PATCH' && spec.transport === 'http' && answer.text.startsWith('{')) trackStoryVisibility(w, JSON.parse(answer.text) as Record<string, unknown>);
        expected = now;
      }
    });

    await fc.assert(property, { numRuns: RUNS, seed: SEED, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)] });

    expect(unhandled).toEqual([]);
    // The server is still healthy and serves its owner normally.
    expect((await api(w.server.url)('GET', '/readyz')).status).toBe(200);
    const mine = await api(w.server.url, w.tokens.A)('GET', `/api/sessions/${w.ids.sessionA}`);
    expect(mine.status).toBe(200);
    // The owner's own undo, redo, retry and cancel requests are legitimate and may have moved the
    // session: what it answers must be what the database holds.
    expect(mine.body.turn_no).toBe((await w.server.runtime.deps.store.sessions.getSession(w.ids.sessionA))!.turnNo);
  }, TIME_LIMIT_MS + 30_000);
});
