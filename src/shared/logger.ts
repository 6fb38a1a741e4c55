import pino from 'pino';
import type { Logger } from '../domain/turn-deps.js';

/**
 * Credentials never reach the logs, wherever they sit in a logged object: headers, tokens, keys.
 * (Request logs carry the path only, never the query string, where `?token=` lives.)
 */
export const REDACT_PATHS = [
  'authorization',
  'token',
  'apiKey',
  'password',
  'secret',
  'cookie',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  '*.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
];

/** A pino logger writing JSON lines to stderr (stdout stays free for the terminal player). */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination(2)) as unknown as Logger;
}

/** A logger that drops everything; for tests and benchmarks. */
export function silentLogger(): Logger {
  return createLogger('silent');
}
