/**
 * The fixed label values of the metrics: stages, outcomes, roles, transports and the closed set of
 * error codes. Dashboards and alert rules are checked against {@link LABEL_VALUES}.
 * @module
 */
import { DRAMA_ERROR_CODES } from '../domain/errors.js';
import type { ModelCallUsage } from '../domain/types.js';



/** Stages of a turn recorded from {@link TurnTimings} (`total` is the whole pipeline). */
export const TURN_STAGES = ['load', 'narrate', 'judge', 'apply', 'embed', 'commit', 'publish', 'total'] as const;
export type TurnStage = (typeof TURN_STAGES)[number];

/**
 * How a turn attempt ended: `completed`; `retrying` (it failed and the queue runs it again);
 * `failed` (final); `replayed` (the task had already committed, the result was announced again).
 */
export const TURN_OUTCOMES = ['completed', 'failed', 'retrying', 'replayed'] as const;
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];

/** Model call outcomes at the provider edge. */
export const MODEL_CALL_OUTCOMES = ['ok', 'error', 'aborted'] as const;
export type ModelCallOutcome = (typeof MODEL_CALL_OUTCOMES)[number];

/** Roles on `mock_drama_model_calls_total`: the chain the call went through. */
export const MODEL_CALL_ROLES = ['narrator', 'judge', 'judge-fallback', 'summarizer', 'embedder'] as const;
export type ModelCallRole = (typeof MODEL_CALL_ROLES)[number];
/** Roles on the token and cost metrics: the calls a completed turn recorded (ModelCallUsage). */
export const USAGE_ROLES = ['narrator', 'judge', 'judge-repair', 'judge-fallback'] as const satisfies readonly ModelCallUsage['role'][];

export const STREAM_TRANSPORTS = ['websocket', 'sse'] as const;
export type StreamTransport = (typeof STREAM_TRANSPORTS)[number];

export const ERROR_SOURCES = ['turn', 'http'] as const;
export type ErrorSource = (typeof ERROR_SOURCES)[number];

/** Codes of the queue itself (a worker lost its lock). */
const QUEUE_CODES = ['worker_lost'] as const;
/** Every error code a label may carry; anything else is counted as `other`. */
const ERROR_CODES: ReadonlySet<string> = new Set<string>([...DRAMA_ERROR_CODES, ...QUEUE_CODES]);

/**
 * Every value each fixed label may take (dashboards and alert rules are checked against these).
 * `provider` and `model` are the configured models (plus `unknown`/`other`), so they are not listed.
 */
export const LABEL_VALUES: Readonly<Record<string, readonly string[]>> = {
  stage: TURN_STAGES,
  outcome: [...TURN_OUTCOMES, ...MODEL_CALL_OUTCOMES],
  state: ['waiting', 'active', 'delayed', 'in_use', 'idle'],
  role: [...new Set([...MODEL_CALL_ROLES, ...USAGE_ROLES])],
  type: ['input', 'output', 'cached_input'],
  result: ['direct', 'repaired', 'fallback', 'ok', 'nearly_spent', 'exceeded', 'hit', 'refresh', 'load', 'miss'],
  transport: STREAM_TRANSPORTS,
  source: ERROR_SOURCES,
  backend: ['pgvector', 'portable'],
  code: [...DRAMA_ERROR_CODES, ...QUEUE_CODES, 'other'],
};

export function errorCodeLabel(code: string): string {
  return ERROR_CODES.has(code) ? code : 'other';
}
