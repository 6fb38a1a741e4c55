import { describe, expect, it } from 'vitest';
import { runEventBusContract } from '../event-bus.contract.js';
import { InProcessEventBus } from './in-process-event-bus.js';

runEventBusContract('InProcessEventBus', async () => new InProcessEventBus());

describe('InProcessEventBus buffer', () => {
  it('keeps only the last bufferSize events for replay', async () => {
    const bus = new InProcessEventBus({ bufferSize: 3 });
    for (let i = 0; i < 10; i++) await bus.publish({ type: 'narration.delta', text: `${i}`, sessionId: 's', taskId: 't', turnNo: 1 });
    const replay = await bus.replay('s', 0);
    expect(replay.map((e) => (e.type === 'narration.delta' ? e.text : ''))).toEqual(['7', '8', '9']);
    await bus.close();
  });

  it('does not replay events older than the TTL', async () => {
    let now = 1_000_000;
    const clock = { now: () => now, monotonic: () => now };
    const bus = new InProcessEventBus({ bufferTtlMs: 1000, clock });
    await bus.publish({ type: 'narration.delta', text: 'old', sessionId: 's', taskId: 't', turnNo: 1 });
    now += 2000;
    const fresh = await bus.publish({ type: 'narration.delta', text: 'new', sessionId: 's', taskId: 't', turnNo: 1 });
    expect((await bus.replay('s', 0)).map((e) => e.id)).toEqual([fresh.id]);
    await bus.close();
  });

  it('starts ids above any id of an earlier process (clock-seeded)', async () => {
    const before = new InProcessEventBus();
    const last = await before.publish({ type: 'narration.delta', text: 'x', sessionId: 's', taskId: 't', turnNo: 1 });
    await new Promise((r) => setTimeout(r, 2));
    const after = new InProcessEventBus();
    const first = await after.publish({ type: 'narration.delta', text: 'y', sessionId: 's', taskId: 't', turnNo: 1 });
    expect(first.id).toBeGreaterThan(last.id);
    await before.close();
    await after.close();
  });
});
