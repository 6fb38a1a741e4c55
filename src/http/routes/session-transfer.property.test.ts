/**
 * Arbitrary mutations of a valid exported document (a value replaced by any JSON, a key removed,
 * an array element dropped or doubled, the digest recomputed or not): each import either creates
 * one whole session (as many turns, memories and cards as the document) or is refused with 422
 * and creates nothing. Never a 5xx, never a partial session. PROP_RUNS and PROP_SEED override the
 * run count and the (fixed) seed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentDigest } from '../../domain/session-document.js';
import { createTestApp, type TestApp, type User } from './__fixtures__/test-app.js';
import { playedSession } from './__fixtures__/played-session.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

let t: TestApp;
let me: User;
let doc: Record<string, Json>;
let paths: (string | number)[][];

/** Every path into the document (objects' keys, arrays' indexes), the root excluded. */
function allPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...allPaths(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...allPaths(v, [...prefix, k])]);
  return [];
}

type Mutation = { kind: 'set'; path: (string | number)[]; value: Json } | { kind: 'delete' | 'double'; path: (string | number)[] };

function mutate(original: Record<string, Json>, m: Mutation): Record<string, Json> {
  const copy = structuredClone(original);
  const parent = m.path.slice(0, -1).reduce<any>((node, key) => (node !== null && typeof node === 'object' ? node[key] : undefined), copy);
  const key = m.path.at(-1)!;
  // An earlier mutation removed or replaced where this one points: nothing to do.
  if (parent === null || typeof parent !== 'object') return copy;
  if (m.kind === 'set') parent[key] = m.value;
  else if (Array.isArray(parent)) parent.splice(key as number, m.kind === 'delete' ? 1 : 0, ...(m.kind === 'double' ? [structuredClone(parent[key as number])] : []));
  else delete parent[key];
  return copy;
}

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer({ min: -3, max: 5 }),
  fc.constantFrom<Json>(null, '', 0, -1, 2 ** 31, 1.5, 'active', 'undone', 'summary', '{"not":"ink"}', []),
);

const sessionCount = async () => (await me.call('GET', '/api/sessions?limit=100')).body.sessions.length as number;

beforeAll(async () => {
  t = await createTestApp({ MAX_SESSIONS_PER_USER: '0' });
  me = await t.guest();
  doc = (await me.call('GET', `/api/sessions/${await playedSession(t, me)}/export`)).body;
  paths = allPaths(doc).filter((p) => p[0] !== 'integrity');
}, 60_000);
afterAll(() => t?.close());

describe('importing mutated documents', () => {
  it('is all or nothing: 201 with the whole session, or 422 with nothing created', async () => {
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...paths), value: jsonValue }),
      fc.record({ kind: fc.constantFrom('delete' as const, 'double' as const), path: fc.constantFrom(...paths) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (mutations, recompute) => {
        let changed: Record<string, Json> = doc;
        for (const m of mutations) changed = mutate(changed, m);
        if (recompute && changed.integrity && typeof changed.integrity === 'object') changed = { ...changed, integrity: { algorithm: 'sha256', digest: documentDigest(changed as never) } };
        const before = await sessionCount();
        const res = await me.call('POST', '/api/sessions/import', changed);
        expect([201, 422], JSON.stringify(res.body).slice(0, 500)).toContain(res.status);
        if (res.status === 422) {
          expect(res.body.error.code).toBe('session_import_invalid');
          expect(await sessionCount()).toBe(before);
          return;
        }
        expect(await sessionCount()).toBe(before + 1);
        const back = (await me.call('GET', `/api/sessions/${res.body.session_id}/export`)).body;
        for (const part of ['turns', 'memories', 'cards'] as const) expect(back[part].length).toBe((changed[part] as Json[]).length);
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 80), seed: Number(process.env.PROP_SEED ?? 20_2020) },
    );
  }, 120_000);
});
