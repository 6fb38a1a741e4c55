/**
 * Translate AI SDK failures into DramaErrors, the only errors the rest of the system knows.
 * The split that matters to the turn queue: an unreachable or overloaded model may succeed on
 * a later attempt (`model_unavailable`, retryable); a model that answered with something we
 * cannot use will likely do it again (`model_output_invalid`, not retryable).
 * @module
 */
import { APICallError, JSONParseError, NoObjectGeneratedError, NoOutputGeneratedError, RetryError, TypeValidationError } from 'ai';
import { DramaError, isDramaError } from '../domain/errors.js';
import { clampChars } from '../shared/text.js';

/** Which port was calling, for messages. */
export type ModelRole = 'narrator' | 'judge' | 'embedder';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The reason a signal was aborted with, or a standard AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Map anything a model call threw. An abort the caller asked for is returned as the signal's
 * reason, untouched: the caller knows why it aborted and should not see a model error.
 */
export function toModelError(err: unknown, role: ModelRole, signal?: AbortSignal): unknown {
  if (signal?.aborted) return abortReason(signal);
  if (isDramaError(err)) return err;
  if (NoObjectGeneratedError.isInstance(err) || TypeValidationError.isInstance(err) || JSONParseError.isInstance(err)) {
    const text = NoObjectGeneratedError.isInstance(err) ? err.text : JSONParseError.isInstance(err) ? err.text : undefined;
    const cause = NoObjectGeneratedError.isInstance(err) && err.cause ? messageOf(err.cause) : undefined;
    return new DramaError('model_output_invalid', `The ${role} model returned output that does not match the expected schema`, {
      retryable: false,
      cause: err,
      details: { reason: messageOf(err), cause, text: text === undefined ? undefined : clampChars(text, 2000, '…') },
    });
  }
  if (NoOutputGeneratedError.isInstance(err)) {
    if (err.cause !== undefined) return toModelError(err.cause, role, signal);
    return new DramaError('model_output_invalid', `The ${role} model produced no output`, { retryable: false, cause: err });
  }
  if (APICallError.isInstance(err)) {
    // A 400/401/404 will fail the same way next time; the SDK already classifies it.
    return new DramaError('model_unavailable', `The ${role} model call failed: ${err.message}`, {
      retryable: err.isRetryable,
      cause: err,
      details: { statusCode: err.statusCode },
    });
  }
  if (RetryError.isInstance(err)) {
    const last = err.lastError;
    return new DramaError('model_unavailable', `The ${role} model call failed after ${err.errors.length} attempts: ${messageOf(last)}`, {
      retryable: true,
      cause: err,
      details: { reason: err.reason, attempts: err.errors.length, statusCode: APICallError.isInstance(last) ? last.statusCode : undefined },
    });
  }
  return new DramaError('model_unavailable', `The ${role} model call failed: ${messageOf(err)}`, { retryable: true, cause: err });
}
