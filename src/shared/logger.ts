import pino from 'pino';
import type { Logger } from '../domain/turn-deps.js';

/** A pino logger writing JSON lines to stderr (stdout stays free for the terminal player). */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings } }, pino.destination(2)) as unknown as Logger;
}

/** A logger that drops everything; for tests and benchmarks. */
export function silentLogger(): Logger {
  return createLogger('silent');
}
