import type { HttpMetrics } from '../http/app-context.js';
import type { Metrics } from './metrics.js';

/** The HTTP layer's view of a process's metrics: the exposition, its token, error counting. */
export function httpMetrics(metrics: Metrics, token: string | undefined): HttpMetrics {
  return {
    contentType: metrics.contentType,
    render: () => metrics.render(),
    ...(token ? { token } : {}),
    error: (code) => metrics.error('http', code),
  };
}
