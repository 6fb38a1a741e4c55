/** Counts the commands one ioredis connection sends (every command goes through `sendCommand`). */
import type { Redis } from 'ioredis';

export interface RedisCallCounter {
  /** Commands sent since the counter was made or last reset. */
  readonly calls: number;
  reset(): void;
}

export function countRedisCalls(redis: Redis): RedisCallCounter {
  let calls = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<typeof send>) => {
    calls++;
    return send(...args);
  }) as typeof send;
  return {
    get calls() {
      return calls;
    },
    reset: () => void (calls = 0),
  };
}
