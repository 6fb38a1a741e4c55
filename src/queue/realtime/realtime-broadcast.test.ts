import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeRealtime, type FakeRealtime } from '../../../tests/support/fake-realtime.js';
import type { TurnEvent } from '../../domain/ports/event-bus.js';
import { silentLogger } from '../../shared/logger.js';
import { InProcessEventBus } from '../in-process/in-process-event-bus.js';
import { RealtimeBroadcaster, withRealtimeBroadcast } from './realtime-broadcast.js';

let fake: FakeRealtime;
beforeAll(async () => {
  fake = await startFakeRealtime();
});
afterAll(() => fake?.close());
beforeEach(() => {
  fake.mode = 'ok';
  fake.messages.length = 0;
  fake.requests = 0;
});

function setup() {
  const dropped: number[] = [];
  const warnings: string[] = [];
  const logger = { ...silentLogger(), warn: (_obj: object, msg?: string) => void warnings.push(msg ?? '') };
  const broadcaster = new RealtimeBroadcaster({
    supabaseUrl: `${fake.url}/`,
    serviceKey: 'service-role-key',
    attempts: 3,
    backoffMs: 1,
    timeoutMs: 2000,
    serialize: (e: TurnEvent) => ({ id: e.id, type: e.type, session_id: e.sessionId }),
    logger,
    onDropped: (n) => dropped.push(n),
  });
  return { bus: withRealtimeBroadcast(new InProcessEventBus(), broadcaster), broadcaster, dropped, warnings };
}

const delta = (sessionId: string, text: string) => ({ type: 'narration.delta', text, sessionId, taskId: 't', turnNo: 1 }) as const;

describe('Supabase Realtime broadcasts', () => {
  it('every event once, in order, with its bus id, on channel session:<id>, with the service key', async () => {
    const { bus, broadcaster } = setup();
    const published: TurnEvent[] = [];
    for (let i = 0; i < 60; i++) published.push(await bus.publish(delta(i % 2 ? 'a' : '雨-b', `d${i}`)));
    await broadcaster.flush();
    for (const sid of ['a', '雨-b']) {
      const got = fake.messages.filter((m) => m.topic === `session:${sid}`);
      const want = published.filter((e) => e.sessionId === sid);
      expect(got.map((m) => [m.event, m.payload.id])).toEqual(want.map((e) => [e.type, e.id]));
    }
    expect(fake.messages).toHaveLength(60);
    expect(fake.lastHeaders.apikey).toBe('service-role-key');
    expect(fake.lastHeaders.authorization).toBe('Bearer service-role-key');
  });

  it('an outage never fails or holds a publish: bounded retries, then the events are counted as dropped', async () => {
    const { bus, broadcaster, dropped, warnings } = setup();
    fake.mode = 'hang';
    // Realtime answers nothing, yet every publish resolves with its event.
    const events = [];
    for (let i = 0; i < 5; i++) events.push(await bus.publish(delta('c', `x${i}`)));
    expect(events.map((e) => (e.type === 'narration.delta' ? e.text : ''))).toEqual(['x0', 'x1', 'x2', 'x3', 'x4']);
    expect(fake.messages).toHaveLength(0);
    fake.mode = 'fail';
    fake.release();
    await broadcaster.flush();
    // The first post carried x0 only; x1–x4 queued behind it and went in the next: 2 batches × 3 attempts.
    expect(fake.requests).toBe(6);
    expect(dropped).toEqual([1, 4]);
    expect(warnings).toEqual([expect.stringContaining('realtime broadcast dropped'), expect.stringContaining('realtime broadcast dropped')]);
    // Realtime is back: later events go through again.
    fake.mode = 'ok';
    const after = await bus.publish(delta('c', 'after'));
    await broadcaster.flush();
    expect(fake.messages.map((m) => m.payload.id)).toEqual([after.id]);
  });
});
