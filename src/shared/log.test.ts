import { Writable } from 'node:stream';
import { expect, it, vi } from 'vitest';
import { lazyChild } from './log.js';
import { createLogger } from './logger.js';

function sinkLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, {}, sink as never), lines };
}

it('makes no child logger while nothing is logged at an enabled level', () => {
  const { logger, lines } = sinkLogger('warn');
  const child = vi.spyOn(logger, 'child');
  const request = lazyChild(logger, { requestId: 'r1' }).child({ userId: 'u1' });
  request.debug({ path: '/x' }, 'request');
  request.info({}, 'not shown');
  expect(child).not.toHaveBeenCalled();
  expect(lines).toEqual([]);
});

it('logs with every binding, a child made once, when a level is enabled', () => {
  const { logger, lines } = sinkLogger('info');
  const child = vi.spyOn(logger, 'child');
  const request = lazyChild(logger, { requestId: 'r1' }).child({ userId: 'u1' });
  request.info({ n: 1 }, 'one');
  request.warn({ n: 2 }, 'two');
  request.debug({ n: 3 }, 'below the level');
  expect(child).toHaveBeenCalledTimes(1);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatchObject({ requestId: 'r1', userId: 'u1', n: 1, msg: 'one' });
  expect(lines[1]).toMatchObject({ requestId: 'r1', userId: 'u1', n: 2, msg: 'two' });
});

it('redacts a binding as the parent would', () => {
  const { logger, lines } = sinkLogger('info');
  lazyChild(logger, { api_key: 'sk-secret' }).error({}, 'x');
  expect(JSON.stringify(lines)).not.toContain('sk-secret');
});
