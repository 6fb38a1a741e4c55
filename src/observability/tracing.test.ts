import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../config/env.js';
import { startTracing, tracesUrl } from './tracing.js';

const env = (vars: Record<string, string>) => loadEnv({ DATA_DIR: ':memory:', ...vars });

describe('tracesUrl', () => {
  it('is off without an endpoint, and with OTEL_SDK_DISABLED=true', () => {
    expect(tracesUrl(env({}))).toBeUndefined();
    expect(tracesUrl(env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }))).toBeUndefined();
  });

  it('appends /v1/traces to the base endpoint; the traces endpoint is used as given and wins', () => {
    expect(tracesUrl(env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }))).toBe('http://c:4318/v1/traces');
    expect(tracesUrl(env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:9/otlp' }))).toBe('http://t:9/otlp');
  });
});

describe('startTracing', () => {
  it('registers one provider per process while any runtime uses it, and unregisters after the last', async () => {
    const collector = createServer((req, res) => req.resume().on('end', () => res.end('{}')));
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const vars = env({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` });
    const a = await startTracing(vars, 'serve');
    const b = await startTracing(vars, 'work');
    expect(a.enabled && b.enabled).toBe(true);
    const recording = () => {
      const span = trace.getTracer('t').startSpan('x');
      span.end();
      return span.isRecording() || span.spanContext().traceId !== '00000000000000000000000000000000';
    };
    expect(recording()).toBe(true);
    await a.shutdown();
    expect(recording()).toBe(true);
    await b.shutdown();
    expect(recording()).toBe(false);
    expect((await startTracing(env({}), 'all')).enabled).toBe(false);
    collector.close();
  });
});

describe('shutdown with the collector down', () => {
  it('neither throws nor waits for the exporter to give up', async () => {
    const tracing = await startTracing(env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }), 'all');
    trace.getTracer('t').startSpan('lost').end();
    const started = Date.now();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(6000);
  });
});
