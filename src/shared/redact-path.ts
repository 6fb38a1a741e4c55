/**
 * A request path as logs and traces may keep it: a shared transcript's token (`/api/shared/<token>`)
 * is a credential of its own, so it is cut out.
 */
export function redactPath(path: string): string {
  return path.startsWith('/api/shared/') ? '/api/shared/[token]' : path;
}
