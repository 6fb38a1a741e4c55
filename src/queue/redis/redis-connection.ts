import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../shared/log.js';

/**
 * A Redis connection from a URL, with errors logged instead of crashing the process (ioredis
 * emits 'error' on every failed reconnect; an unhandled one would kill us).
 * `maxRetriesPerRequest: null` is what BullMQ requires for blocking connections.
 */
export function createRedis(url: string, logger: Logger, name: string, extra: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: `mock-drama:${name}`, ...extra });
  let lastLogged = 0;
  redis.on('error', (err) => {
    // One line per 5 s is enough while Redis is down.
    if (Date.now() - lastLogged > 5000) {
      lastLogged = Date.now();
      logger.warn({ redis: name, err: err.message }, 'redis connection error');
    }
  });
  return redis;
}
