/**
 * The one place where error codes become HTTP statuses and `{error: {code, message, details}}`
 * bodies. Expected errors (4xx) are returned quietly; anything else is logged and becomes 500.
 * @module
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DramaError, isDramaError, type DramaErrorCode } from '../domain/errors.js';
import type { Logger } from '../shared/log.js';
import { redactPath } from '../shared/redact-path.js';

export function statusOf(code: DramaErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'bad_request':
    case 'guest_token_invalid':
    case 'model_not_allowed':
      return 400;
    case 'unauthorized':
    case 'api_key_invalid':
    case 'api_key_revoked':
      return 401;
    case 'forbidden':
    case 'account_suspended':
    case 'story_hidden':
    case 'spectator':
      return 403;
    case 'story_not_found':
    case 'session_not_found':
    case 'task_not_found':
    case 'not_found':
      return 404;
    case 'turn_in_progress':
    case 'not_your_turn':
    case 'no_turn_in_progress':
    case 'turn_conflict':
    case 'upgrade_incompatible':
    case 'guest_claimed':
    case 'nothing_to_undo':
    case 'nothing_to_redo':
    case 'nothing_to_retry':
    case 'story_ended':
    case 'session_full':
    // A turn's failure code (turn.failed, task status), not an answer to a request; a conflict
    // with the turn's own state if it ever reaches a response.
    case 'cancelled':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'invite_expired':
    case 'invite_used_up':
      return 410;
    case 'unsupported_media_type':
      return 415;
    case 'budget_exceeded':
    case 'queue_full':
    case 'rate_limited':
      return 429;
    case 'ink_compile_error':
    case 'card_condition_invalid':
    case 'lorebook_invalid':
    case 'lorebook_unknown_format':
    case 'ink_unbound_external':
    case 'ink_runtime_error':
    case 'compile_timeout':
    case 'judge_invalid_decision':
    case 'model_output_invalid':
    case 'session_import_invalid':
      return 422;
    case 'shutting_down':
    case 'model_unavailable':
    case 'database_locked':
      return 503;
    case 'provider_keys_disabled':
      return 501;
    case 'config_invalid':
    case 'internal':
      return 500;
  }
}

const STATUS_CODES: Partial<Record<number, DramaErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; request_id?: string };
}

export function errorBody(err: DramaError, requestId?: string): ErrorBody {
  return { error: { ...err.toJSON(), ...(requestId ? { request_id: requestId } : {}) } };
}

/** `app.onError`: maps DramaErrors and Hono's HTTPExceptions; logs and hides everything else. */
export function createErrorHandler(logger: Logger, onError?: (code: DramaErrorCode) => void) {
  return (err: Error, c: Context): Response => {
    const requestId = c.get('requestId' as never) as string | undefined;
    let drama: DramaError;
    if (isDramaError(err)) drama = err;
    else if (err instanceof HTTPException) {
      drama = new DramaError(STATUS_CODES[err.status] ?? 'bad_request', err.message || 'Bad request');
      if (err.status >= 500) drama = new DramaError('internal', 'Internal error');
    } else drama = new DramaError('internal', 'Internal error');
    const status = isDramaError(err) || err instanceof HTTPException ? statusOf(drama.code) : 500;
    if (status >= 500) logger.error({ err, requestId, path: redactPath(c.req.path) }, 'request failed');
    onError?.(drama.code);
    const retryAfter = (drama.details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
    if (status === 429 && typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
    return c.json(errorBody(drama, requestId), status);
  };
}

/** WebSocket close codes: the HTTP status of the same refusal in RFC 6455's private range (4000–4999). */
export const WS_CLOSE = { unauthorized: 4001, suspended: 4003, notFound: 4004, tooMany: 4029 } as const;

/** How a refused or ended socket is closed: the code a client branches on, and a short reason. */
export function wsCloseOf(err: unknown): { code: number; reason: string } {
  const drama = isDramaError(err) ? err : null;
  switch (drama?.code) {
    case 'session_not_found':
      return { code: WS_CLOSE.notFound, reason: 'session not found' };
    case 'account_suspended':
      return { code: WS_CLOSE.suspended, reason: 'account suspended' };
    case 'api_key_revoked':
      return { code: WS_CLOSE.unauthorized, reason: 'api key revoked' };
    case 'rate_limited':
      return { code: WS_CLOSE.tooMany, reason: 'too many connections' };
    case 'unauthorized':
      return { code: WS_CLOSE.unauthorized, reason: drama.message === 'Token expired' ? 'token expired' : 'unauthorized' };
    default:
      return { code: WS_CLOSE.unauthorized, reason: 'unauthorized' };
  }
}
