/**
 * One error base with a closed set of codes. Codes, not classes, cross process boundaries
 * (queue payloads, events), so callers compare `code` or use {@link isDramaError}.
 * @module
 */

/** Every error code, in one list (metrics label errors with these; anything else counts as `other`). */
export const DRAMA_ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'account_suspended',
  'api_key_invalid',
  'api_key_revoked',
  'guest_token_invalid',
  'guest_claimed',
  'story_not_found',
  'session_not_found',
  'task_not_found',
  'not_found',
  'ink_compile_error',
  'card_condition_invalid',
  'lorebook_invalid',
  'lorebook_unknown_format',
  'ink_unbound_external',
  'ink_runtime_error',
  'compile_timeout',
  'story_hidden',
  'story_ended',
  'turn_in_progress',
  'not_your_turn',
  'queue_full',
  'spectator',
  'session_full',
  'invite_expired',
  'invite_used_up',
  'no_turn_in_progress',
  'turn_conflict',
  'upgrade_incompatible',
  'session_import_invalid',
  'nothing_to_undo',
  'nothing_to_redo',
  'nothing_to_retry',
  'judge_invalid_decision',
  'model_unavailable',
  'model_output_invalid',
  'payload_too_large',
  'unsupported_media_type',
  'budget_exceeded',
  'model_not_allowed',
  'provider_keys_disabled',
  'rate_limited',
  'database_locked',
  'config_invalid',
  'shutting_down',
  'cancelled',
  'internal',
] as const;

export type DramaErrorCode = (typeof DRAMA_ERROR_CODES)[number];

const MARKER = Symbol.for('mock-drama.error');

export class DramaError extends Error {
  readonly [MARKER] = true;
  readonly code: DramaErrorCode;
  readonly details: unknown;
  /** Whether re-running the same job may succeed (e.g. a conflict or an unreachable model). */
  readonly retryable: boolean;

  constructor(code: DramaErrorCode, message: string, opts: { details?: unknown; retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DramaError';
    this.code = code;
    this.details = opts.details;
    this.retryable = opts.retryable ?? false;
  }

  toJSON(): { code: DramaErrorCode; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** True for a DramaError, even one from a duplicated copy of this module. */
export function isDramaError(err: unknown): err is DramaError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[MARKER] === true;
}

/** Wrap anything thrown into a DramaError; unknown failures become retryable `internal` errors. */
export function toDramaError(err: unknown): DramaError {
  if (isDramaError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DramaError('internal', message, { retryable: true, cause: err });
}

/**
 * What a cancelled turn's signal is aborted with and what the turn fails with: `cancelled`, never
 * retried (the player asked for it to stop, or the session is being deleted).
 */
export function turnCancelled(): DramaError {
  return new DramaError('cancelled', 'The turn was cancelled');
}

/** True for the reason {@link turnCancelled} gives, even after a trip through JSON. */
export function isTurnCancelled(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && (reason as { code?: unknown }).code === 'cancelled';
}
