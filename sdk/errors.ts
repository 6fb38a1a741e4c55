/**
 * The one error type the SDK throws: the server's `{error:{code,message,details}}` body with the
 * HTTP status, or `network_error` (status 0) when no response arrived.
 * @module
 */
import type { ApiErrorBody } from './types.js';

export class DramaApiError extends Error {
  override readonly name = 'DramaApiError';
  /** HTTP status; 0 when the request never got a response. */
  readonly status: number;
  /** The server's error code (`turn_in_progress`, `session_not_found`, …) or `network_error`. */
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;
  /** From `Retry-After` (429, 503), in seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ApiErrorBody, retryAfterSeconds?: number, options?: { cause?: unknown }) {
    super(body.message, options);
    this.status = status;
    this.code = body.code;
    this.details = body.details;
    this.requestId = body.request_id;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Build from a failed response and its (already parsed) body, whatever shape the body has. */
  static fromResponse(response: Response, body: unknown): DramaApiError {
    const error = (body as { error?: Partial<ApiErrorBody> } | null)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    return new DramaApiError(
      response.status,
      {
        code: typeof error?.code === 'string' ? error.code : `http_${response.status}`,
        message: typeof error?.message === 'string' ? error.message : response.statusText || `HTTP ${response.status}`,
        details: error?.details,
        request_id: error?.request_id,
      },
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }

  static network(cause: unknown): DramaApiError {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new DramaApiError(0, { code: 'network_error', message: `No response from the server: ${message}` }, undefined, { cause });
  }
}

/** True for a {@link DramaApiError} with this code (compared by name and code, so it works across bundles). */
export function isDramaApiError(err: unknown, code?: string): err is DramaApiError {
  return err instanceof Error && err.name === 'DramaApiError' && (code === undefined || (err as DramaApiError).code === code);
}
