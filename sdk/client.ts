/**
 * A typed client on openapi-fetch: every route and body type comes from `openapi.d.ts`.
 *
 * ```ts
 * const drama = createDramaClient({ baseUrl: 'http://localhost:8000' });
 * await drama.signInAsGuest();
 * const { stories } = await unwrap(drama.api.GET('/api/stories'));
 * ```
 * @module
 */
import createClient, { type Client } from 'openapi-fetch';
import { DramaApiError } from './errors.js';
import { openSessionEvents, type SessionEventStream, type SessionEventStreamOptions } from './event-stream.js';
import type { paths } from './openapi.js';
import type { AuthConfig, GuestClaim, GuestToken, Session, SessionDocument, SharedTranscript } from './types.js';

/** A bearer token, or a function asked before every request (so a refreshed token is picked up). */
export type TokenSource = string | null | undefined | (() => string | null | undefined);

export interface DramaClientOptions {
  /** The server's origin, e.g. `http://localhost:8000` (in a browser on the same origin: `location.origin`). */
  baseUrl: string;
  token?: TokenSource;
  /** Replaces `globalThis.fetch` (a keep-alive agent in Node, a test double…). */
  fetch?: (input: Request) => Promise<Response>;
}

export interface DramaClient {
  readonly baseUrl: string;
  /** The openapi-fetch client: `api.GET('/api/sessions/{id}', { params: { path: { id } } })`. */
  readonly api: Client<paths>;
  /** The token sent as `Authorization: Bearer …`, if any. */
  token(): string | null;
  setToken(token: TokenSource): void;
  /** `POST /api/auth/guest`; the new token is used from the next request on. */
  signInAsGuest(): Promise<GuestToken>;
  /** `GET /api/auth/config`: whether guests may play, and the Supabase project to sign in with. */
  authConfig(): Promise<AuthConfig>;
  /** `POST /api/auth/claim` (signed in with an account): what the guest with this token played becomes yours. */
  claimGuest(guestToken: string): Promise<GuestClaim>;
  /** `GET /api/sessions/{id}/export`: the session as a document (`includeSource` embeds the story's ink). */
  exportSession(sessionId: string, options?: { includeSource?: boolean }): Promise<SessionDocument>;
  /** `POST /api/sessions/import`: a new session of yours from a document. */
  importSession(document: SessionDocument): Promise<{ session_id: string; session: Session }>;
  /** `POST /api/sessions/{id}/share`: a read-only link (a new one each time; the previous stops working). */
  shareSession(sessionId: string): Promise<{ token: string; url: string; created_at: string }>;
  /** `GET /api/shared/{token}`: a shared transcript (no token needed). */
  readShared(token: string): Promise<SharedTranscript>;
  /** The session's live events (WebSocket, reconnecting with `since`; SSE as a fallback). */
  events(sessionId: string, options: Omit<SessionEventStreamOptions, 'baseUrl' | 'sessionId' | 'token' | 'fetch'>): SessionEventStream;
}

type ApiResult<D> = { data?: D; error?: unknown; response: Response };

/**
 * The body of a successful response, or a thrown {@link DramaApiError} carrying the server's error
 * code (and `network_error` when there was no response at all).
 */
export async function unwrap<D>(pending: Promise<ApiResult<D>>): Promise<D> {
  let result: ApiResult<D>;
  try {
    result = await pending;
  } catch (err) {
    throw DramaApiError.network(err);
  }
  if (result.error !== undefined || !result.response.ok) throw DramaApiError.fromResponse(result.response, result.error);
  return result.data as D;
}

export function createDramaClient(options: DramaClientOptions): DramaClient {
  let tokenSource: TokenSource = options.token;
  const token = () => (typeof tokenSource === 'function' ? tokenSource() : tokenSource) ?? null;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const api = createClient<paths>({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  api.use({
    onRequest({ request }) {
      const t = token();
      if (t && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${t}`);
      return request;
    },
  });
  return {
    baseUrl,
    api,
    token,
    setToken(next) {
      tokenSource = next;
    },
    async signInAsGuest() {
      const guest = await unwrap(api.POST('/api/auth/guest'));
      tokenSource = guest.token;
      return guest;
    },
    authConfig() {
      return unwrap(api.GET('/api/auth/config'));
    },
    claimGuest(guestToken) {
      return unwrap(api.POST('/api/auth/claim', { body: { guest_token: guestToken } }));
    },
    exportSession(sessionId, exportOptions = {}) {
      const query = exportOptions.includeSource ? { include: 'source' as const } : {};
      return unwrap(api.GET('/api/sessions/{id}/export', { params: { path: { id: sessionId }, query }, parseAs: 'json' })) as Promise<SessionDocument>;
    },
    importSession(document) {
      return unwrap(api.POST('/api/sessions/import', { body: document }));
    },
    shareSession(sessionId) {
      return unwrap(api.POST('/api/sessions/{id}/share', { params: { path: { id: sessionId } } }));
    },
    readShared(shareToken) {
      return unwrap(api.GET('/api/shared/{token}', { params: { path: { token: shareToken } } }));
    },
    events(sessionId, streamOptions) {
      return openSessionEvents({ ...streamOptions, baseUrl, sessionId, token, ...(options.fetch ? { fetch: options.fetch } : {}) });
    },
  };
}
