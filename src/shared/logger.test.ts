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
