import { describe, expect, it } from 'vitest';
import type { TurnResult } from '../domain/types.js';
import { errorCodeLabel, Metrics, ModelCatalog } from './metrics.js';

const text = (m: Metrics) => m.render();

describe('ModelCatalog', () => {
  const catalog = new ModelCatalog([
    { provider: 'openai', modelId: 'gpt-4o' },
    { provider: 'openai', modelId: 'gpt-4o-mini' },
    { provider: 'anthropic', modelId: 'claude-3-5-haiku-latest' },
    { provider: 'openai', modelId: 'gpt-4o-mini' },
  ]);

  it('maps reported ids onto the configured models: exact, else the longest prefix, else other', () => {
    expect(catalog.labels('gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(catalog.labels('gpt-4o-mini-2024-07-18')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(catalog.labels('gpt-4o-2024-08-06')).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(catalog.labels('claude-3-5-haiku-latest')).toEqual({ provider: 'anthropic', model: 'claude-3-5-haiku-latest' });
    expect(catalog.labels('llama-3.1-70b')).toEqual({ provider: 'unknown', model: 'other' });
  });
});

describe('Metrics', () => {
  it('bounds error codes to the known set', () => {
    expect(errorCodeLabel('model_unavailable')).toBe('model_unavailable');
    expect(errorCodeLabel('worker_lost')).toBe('worker_lost');
    expect(errorCodeLabel('ECONNRESET while talking to a session 1234')).toBe('other');
  });

  it('never throws while recording: NaN, negative and missing values are skipped or count as 0', async () => {
    const m = new Metrics({ role: 'work', defaultMetrics: false });
    expect(() => m.turnStarted(1, Number.NaN)).not.toThrow();
    const broken = { createdAt: 'not a date', timings: { load: Number.NaN, total: -5 }, usage: { calls: [{ role: 'narrator', modelId: 'x', inputTokens: -3, costUsd: Number.NaN }], judgeRepaired: false, judgeFellBack: false } } as unknown as TurnResult;
    expect(() => m.turnCompleted(broken, false, Number.NaN)).not.toThrow();
    expect(() => m.firstDelta(Number.NaN)).not.toThrow();
    expect(() => m.busLag(-100)).not.toThrow();
    expect(() => m.modelCall({ provider: 'p', model: 'm', role: 'narrator', outcome: 'ok', ms: Number.POSITIVE_INFINITY })).not.toThrow();
    const out = await text(m);
    expect(out).toContain('mock_drama_turn_stage_duration_seconds_count{stage="total",outcome="completed"} 1');
    expect(out).not.toContain('stage="load"');
    expect(out).toContain('mock_drama_event_bus_lag_seconds_bucket{le="0.0005"} 1');
  });

  it('reads the queue on scrape, and leaves it out when the queue does not answer', async () => {
    const m = new Metrics({ role: 'serve', defaultMetrics: false });
    let fail = false;
    m.watch({ queue: async () => (fail ? new Promise(() => undefined) : { waiting: 4, active: 2, delayed: 1 }) });
    expect(await text(m)).toContain('mock_drama_queue_depth{state="waiting"} 4');
    fail = true;
    const started = Date.now();
    const out = await text(m);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(out).not.toContain('mock_drama_queue_depth{');
  });

  it('each instance has its own registry (two processes in one test run do not mix)', async () => {
    const a = new Metrics({ role: 'all', defaultMetrics: false });
    const b = new Metrics({ role: 'all', defaultMetrics: false });
    a.error('http', 'not_found');
    expect(await text(a)).toContain('mock_drama_errors_total{source="http",code="not_found"} 1');
    expect(await text(b)).not.toContain('code="not_found"');
  });
});
