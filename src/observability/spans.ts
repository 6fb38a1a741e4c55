/** Small span helpers shared by the HTTP and turn tracing. */
import { context, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';

/** Mark `span` as failed by `err`: the exception event, the status, and the error code as `error.type`. */
export function recordFailure(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : error.name);
}

/** Run `work` with `span` current, ending the span when it settles (sync or async). */
export function within<T>(span: Span, parent: Context, work: () => T): T {
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), work);
  } catch (err) {
    recordFailure(span, err);
    span.end();
    throw err;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (err: unknown) => {
        recordFailure(span, err);
        span.end();
        throw err;
      },
    ) as T;
  }
  span.end();
  return result;
}
