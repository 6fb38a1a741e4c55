/** A real turn through the app with SUPABASE_REALTIME=on: Realtime gets what the WebSocket gets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRealtime, type FakeRealtime } from '../../tests/support/fake-realtime.js';
import { createTestApp, type TestApp } from '../http/routes/__fixtures__/test-app.js';
import { toApiEvent } from '../http/wire.js';

let fake: FakeRealtime;
let t: TestApp;
beforeAll(async () => {
  fake = await startFakeRealtime();
  t = await createTestApp({ SUPABASE_REALTIME: 'on', SUPABASE_URL: fake.url, SUPABASE_SERVICE_ROLE_KEY: 'service-role-key', GUEST_AUTH: 'on' });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe('SUPABASE_REALTIME=on', () => {
  it('broadcasts every event of a turn to session:<id>, in order, once, as the WebSocket sends it', async () => {
    const me = await t.guest();
    const sid = await t.newSession(me);
    const status = await t.play(me, sid, 'I light the lamp');
    expect(status.status).toBe('completed');
    const events = await t.deps.bus.replay(sid, 0);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['turn.started', 'turn.decision', 'turn.completed']));
    await fake.waitFor(events.length);
    const got = fake.messages.filter((m) => m.topic === `session:${sid}`);
    expect(got.map((m) => m.event)).toEqual(events.map((e) => e.type));
    expect(got.map((m) => m.payload)).toEqual(events.map((e) => JSON.parse(JSON.stringify(toApiEvent(e)))));
  });
});
