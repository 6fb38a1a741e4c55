import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from './logger.js';

it("keeps each line's fields to that line (the trace mixin must not collect them)", () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger('info', {}, sink as never);
  logger.info({ dir: '/tmp/x', ms: 12 }, 'first');
  logger.info({}, 'second');
  expect(lines[0]).toMatchObject({ dir: '/tmp/x', ms: 12, msg: 'first' });
  expect(lines[1]).not.toHaveProperty('dir');
  expect(lines[1]).not.toHaveProperty('ms');
});

it("redacts players' provider keys, plain (api_key, apiKey) or sealed, at the top level and one down", () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('info', {}, sink as never);
  logger.info({ api_key: 'sk-plain-1', body: { api_key: 'sk-plain-2', apiKey: 'sk-plain-3' }, key: { sealed: 'v1.sealed-4' } }, 'keys');
  expect(lines.join('')).not.toMatch(/sk-plain|sealed-4/);
});
