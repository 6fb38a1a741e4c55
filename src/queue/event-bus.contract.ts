/**
 * The behaviour every EventBus must have; each implementation's test runs this suite.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { EventBus, TurnEvent } from '../domain/ports/event-bus.js';

export function runEventBusContract(name: string, create: () => Promise<EventBus>): void {
  const delta = (sessionId: string, text: string) =>
    ({ type: 'narration.delta', text, sessionId, taskId: 't1', turnNo: 1 }) as const;
  const sid = () => `sess-${Math.random().toString(36).slice(2)}`;

  describe(`${name} (EventBus contract)`, () => {
    it('assigns strictly increasing ids per session and delivers in order', async () => {
      const bus = await create();
      const s = sid();
      const got: TurnEvent[] = [];
      const sub = await bus.subscribe(s, (e) => got.push(e));
      for (let i = 0; i < 20; i++) await bus.publish(delta(s, `d${i}`));
      await new Promise((r) => setTimeout(r, 50));
      expect(got.map((e) => (e.type === 'narration.delta' ? e.text : ''))).toEqual(Array.from({ length: 20 }, (_, i) => `d${i}`));
      for (let i = 1; i < got.length; i++) expect(got[i]!.id).toBeGreaterThan(got[i - 1]!.id);
      sub.unsubscribe();
      await bus.close();
    });

    it('isolates sessions', async () => {
      const bus = await create();
      const a = sid();
      const b = sid();
      const got: string[] = [];
      await bus.subscribe(a, (e) => got.push(e.sessionId));
      await bus.publish(delta(b, 'x'));
      await bus.publish(delta(a, 'y'));
      await new Promise((r) => setTimeout(r, 50));
      expect(got).toEqual([a]);
      await bus.close();
    });

    it('replays exactly the events after `since`, then continues live without gap or duplicate', async () => {
      const bus = await create();
      const s = sid();
      const published: TurnEvent[] = [];
      for (let i = 0; i < 5; i++) published.push(await bus.publish(delta(s, `e${i}`)));
      const since = published[1]!.id;
      const got: number[] = [];
      await bus.subscribe(s, (e) => got.push(e.id), { since });
      published.push(await bus.publish(delta(s, 'live')));
      await new Promise((r) => setTimeout(r, 50));
      expect(got).toEqual(published.slice(2).map((e) => e.id));
      expect((await bus.replay(s, since)).map((e) => e.id)).toEqual(published.slice(2).map((e) => e.id));
      await bus.close();
    });

    it('stops delivering after unsubscribe', async () => {
      const bus = await create();
      const s = sid();
      const got: number[] = [];
      const sub = await bus.subscribe(s, (e) => got.push(e.id));
      await bus.publish(delta(s, 'a'));
      await new Promise((r) => setTimeout(r, 50));
      sub.unsubscribe();
      await bus.publish(delta(s, 'b'));
      await new Promise((r) => setTimeout(r, 50));
      expect(got).toHaveLength(1);
      await bus.close();
    });
  });
}
