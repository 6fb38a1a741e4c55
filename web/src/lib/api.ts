/**
 * The page's one SDK client, on the same origin as the page. The guest token lives in
 * localStorage; a request answered 401 (expired or foreign token) signs in again once.
 * @module
 */
import { createDramaClient, isDramaApiError, type DramaClient } from '../../../sdk/index.js';

const TOKEN_KEY = 'md.token';
const USER_KEY = 'md.user';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private mode: the token lasts for this page only.
  }
}

let memoryToken: string | null = stored(TOKEN_KEY);
let userId: string | null = stored(USER_KEY);

export const drama: DramaClient = createDramaClient({ baseUrl: location.origin, token: () => memoryToken });

let signingIn: Promise<void> | null = null;

/** Sign in as a guest unless a token is already stored. */
export function ensureSignedIn(force = false): Promise<void> {
  if (memoryToken && !force) return Promise.resolve();
  signingIn ??= drama
    .signInAsGuest()
    .then((guest) => {
      memoryToken = guest.token;
      userId = guest.user_id;
      store(TOKEN_KEY, guest.token);
      store(USER_KEY, guest.user_id);
    })
    .finally(() => {
      signingIn = null;
    });
  return signingIn;
}

export function currentUserId(): string | null {
  return userId;
}

export function currentToken(): string | null {
  return memoryToken;
}

/** Run an API call; on 401 get a fresh guest token and run it once more. */
export async function call<T>(request: () => Promise<T>): Promise<T> {
  await ensureSignedIn();
  try {
    return await request();
  } catch (err) {
    if (!isDramaApiError(err) || err.status !== 401) throw err;
    await ensureSignedIn(true);
    return request();
  }
}
