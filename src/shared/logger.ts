import { createRequire } from 'node:module';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Logger } from './log.js';

/** pino-pretty is loaded (synchronously, it is CommonJS) only for a terminal: servers log JSON. */
const loadPretty = (): typeof PinoPretty => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

/**
 * Credentials never reach the logs, wherever they sit in a logged object: headers, tokens, keys.
 * (Request logs carry the path only, never the query string, where `?token=` lives.)
 */
export const REDACT_PATHS = [
  'authorization',
  'token',
  'apiKey',
  'api_key',
  'sealed',
  'password',
  'secret',
  'cookie',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.sealed',
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

/**
 * `trace_id` and `span_id` of the span current where a line is logged (a traced request or turn),
 * so log lines and traces find each other. Without tracing no span is ever current: one lookup.
 * A new object every call: pino merges the line's own fields into what the mixin returns, so a
 * shared one would collect every line's fields.
 */
function traceFields(): object {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ids = span.spanContext();
  return isSpanContextValid(ids) ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}

/**
 * A pino logger writing JSON lines to stderr (stdout stays free for the terminal player), or to
 * `destination` (tests).
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings }, mixin: traceFields, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination) as unknown as Logger;
}

/**
 * For a terminal (stderr is a TTY): the same logger, its lines made readable by pino-pretty
 * (in-process, synchronous) instead of JSON.
 */
export function createTerminalLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return createLogger(level, bindings, loadPretty()({ destination: 2, colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,role' }));
}

/** The command line's logger: readable lines on a terminal, JSON lines (for log collectors) otherwise. */
export function createCliLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return process.stderr.isTTY === true ? createTerminalLogger(level, bindings) : createLogger(level, bindings);
}

/** A logger that drops everything; for tests and benchmarks. */
export function silentLogger(): Logger {
  return createLogger('silent');
}
