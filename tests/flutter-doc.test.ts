/**
 * docs/clients/flutter.md cannot drift: every route its Dart code calls is in the OpenAPI document
 * with that method, every event type it handles is a `SessionEvent` type, every JSON key it reads is
 * a property somewhere in the document, and its WebSocket path is the one the document names.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../src/http/routes/__fixtures__/test-app.js';

const page = readFileSync('docs/clients/flutter.md', 'utf8');
const dart = [...page.matchAll(/```dart\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
/** `/api/sessions/$sessionId/cancel` and `/api/sessions/{id}/cancel` both become `/api/sessions/{}/cancel`. */
const normalize = (path: string) => path.replace(/\$\{[^}]+\}|\$\w+|\{[^}]+\}/g, '{}');

let t: TestApp;
let doc: { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, any> } };
beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.request('GET', '/openapi.json')).body;
});
afterAll(() => t?.close());

function propertyNames(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) propertyNames(n, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && v && typeof v === 'object') for (const name of Object.keys(v)) into.add(name);
      propertyNames(v, into);
    }
  }
  return into;
}

describe('docs/clients/flutter.md', () => {
  it('calls only routes of the OpenAPI document, with their methods', () => {
    const calls = [...dart.matchAll(/http\.(get|post|put|patch|delete)\(_uri\('([^']+)'\)/g)].map((m) => ({ method: m[1]!, path: m[2]! }));
    expect(calls.length).toBeGreaterThanOrEqual(8);
    const routes = new Map(Object.entries(doc.paths).map(([p, ops]) => [normalize(p), ops]));
    const missing = calls.filter((c) => !routes.get(normalize(c.path))?.[c.method]).map((c) => `${c.method.toUpperCase()} ${c.path}`);
    expect(missing).toEqual([]);
    // Every _uri('…') of the page is one of those calls (none hides from the check).
    expect([...dart.matchAll(/_uri\('/g)].length).toBe(calls.length);
  });

  it('handles only event types of the SessionEvent schema, and reads only fields the document has', () => {
    const types = (doc.components.schemas.SessionEvent.oneOf as { $ref: string }[]).map((r) => doc.components.schemas[r.$ref.split('/').pop()!].properties.type.const ?? doc.components.schemas[r.$ref.split('/').pop()!].properties.type.enum[0]);
    const handled = [...dart.matchAll(/case '([^']+)':/g)].map((m) => m[1]);
    expect(handled.length).toBeGreaterThanOrEqual(6);
    expect(handled.filter((h) => !types.includes(h))).toEqual([]);
    const keys = new Set([...dart.matchAll(/\['([a-z_]+)'\]/g)].map((m) => m[1]!));
    const known = propertyNames(doc);
    // `payload` is the Realtime broadcast message's own field, not ours.
    expect([...keys].filter((k) => !known.has(k) && k !== 'payload')).toEqual([]);
  });

  it('streams from the WebSocket path the document names, with `since`', () => {
    const wsPath = /path: '(\/ws\/[^']+)'/.exec(dart)?.[1];
    expect(wsPath).toBeDefined();
    const documented = /WS (\/ws\/[^\s)]+)/.exec(doc.components.schemas.SessionEvent.description as string)?.[1];
    expect(normalize(wsPath!)).toBe(normalize(documented!));
    expect(dart).toContain("'since'");
    expect(readFileSync('docs/protocol.md', 'utf8')).toContain(`GET ${documented}?token=<token>&since=<last event id>`);
  });
});
