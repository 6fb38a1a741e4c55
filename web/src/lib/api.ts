/**
 * The page's one SDK client, on the same origin as the page, and who it plays as ({@link PageAuth}).
 * A request answered 401 (an expired or foreign token) recovers once: an account refreshes its
 * session, a guest gets a new guest token.
 * @module
 */
import { createDramaClient, isDramaApiError, type DramaClient } from '../../../sdk/index.js';
import { PageAuth } from './auth.js';

export const drama: DramaClient = createDramaClient({ baseUrl: location.origin, token: () => auth.token() });
export const auth = new PageAuth(drama);

export function currentUserId(): string | null {
  const view = auth.view;
  return view.kind === 'guest' || view.kind === 'account' ? view.userId : null;
}

/** Run an API call; on 401 recover the credential and run it once more. */
export async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    if (!isDramaApiError(err) || err.status !== 401 || !(await auth.recover())) throw err;
    return request();
  }
}
