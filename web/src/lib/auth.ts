/**
 * Who the page plays as. `GET /api/auth/config` says what the server accepts:
 * - a Supabase project → accounts through supabase-js (loaded only then): email + password, magic
 *   link, the operator's OAuth providers; supabase-js keeps the session in localStorage and
 *   refreshes it before it expires; the access token is our bearer token;
 * - guests on → a guest token of our own (in localStorage under `md.token`).
 * A player who played as a guest and then signs in keeps what they played: the guest token is
 * claimed for the account once (POST /api/auth/claim) and then forgotten.
 * @module
 */
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { isDramaApiError, unwrap, type AuthConfig, type DramaClient, type GuestClaim } from '../../../sdk/index.js';

export type AuthView =
  | { kind: 'pending' }
  /** Nobody yet: show the sign-in screen. */
  | { kind: 'signed-out' }
  | { kind: 'guest'; userId: string }
  /** `claimed`: what a guest's play brought into the account at this sign-in. */
  | { kind: 'account'; userId: string; email: string | null; claimed?: GuestClaim }
  | { kind: 'error'; error: Error };

const GUEST_TOKEN_KEY = 'md.token';
const GUEST_USER_KEY = 'md.user';

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

/** The page's sign-in state, observed by the shell and the header. */
export class PageAuth {
  #view: AuthView = { kind: 'pending' };
  #listeners = new Set<() => void>();
  #token: string | null = null;
  #config: AuthConfig | null = null;
  #supabase: SupabaseClient | null = null;
  #guestSignIn: Promise<void> | null = null;
  #pendingAccount: { userId: string; done: Promise<void> } | null = null;
  /** An error from a sign-in redirect (an expired magic link…), shown once on the sign-in screen. */
  redirectError: string | null = null;

  constructor(private readonly drama: DramaClient) {}

  get view(): AuthView {
    return this.#view;
  }
  get config(): AuthConfig | null {
    return this.#config;
  }
  /** The bearer token for API calls and streams. */
  token(): string | null {
    return this.#token;
  }
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(view: AuthView): void {
    this.#view = view;
    for (const l of this.#listeners) l();
  }

  /** Learn what the server accepts, then resume an account session, a guest, or ask. */
  async start(): Promise<void> {
    this.#set({ kind: 'pending' });
    try {
      const config = (this.#config = await this.drama.authConfig());
      if (config.supabase) {
        const supabase = await this.#openSupabase(config.supabase);
        // Waits for supabase-js to finish a sign-in redirect (?code=…) or to restore a stored session.
        const { error } = await supabase.auth.initialize();
        if (error) this.redirectError = error.message;
        this.#takeRedirectError();
        const { data } = await supabase.auth.getSession();
        if (data.session) return await this.#useAccount(data.session);
      }
      const guestToken = stored(GUEST_TOKEN_KEY);
      if (config.guests && guestToken) return this.#useGuest(guestToken, stored(GUEST_USER_KEY) ?? '');
      if (config.guests && !config.supabase) return await this.playAsGuest();
      if (!config.supabase) throw new Error('this server takes neither guests nor accounts; use an API client with a token');
      this.#set({ kind: 'signed-out' });
    } catch (err) {
      this.#set({ kind: 'error', error: err instanceof Error ? err : new Error(String(err)) });
    }
  }

  async #openSupabase(project: NonNullable<AuthConfig['supabase']>): Promise<SupabaseClient> {
    const { createClient } = await import('@supabase/supabase-js');
    const supabase = createClient(project.url, project.anon_key, {
      auth: { flowType: 'pkce', persistSession: true, autoRefreshToken: true, detectSessionInUrl: true, storageKey: 'md.supabase' },
    });
    supabase.auth.onAuthStateChange((event, session) => {
      // supabase-js holds a lock while it notifies: work that calls it again must run after.
      setTimeout(() => {
        if (session && this.#view.kind === 'account' && this.#view.userId === session.user.id) this.#token = session.access_token;
        else if (session && (event === 'SIGNED_IN' || event === 'TOKEN_REFRESHED')) void this.#useAccount(session);
        else if (event === 'SIGNED_OUT' && this.#view.kind === 'account') this.#signedOut();
      }, 0);
    });
    this.#supabase = supabase;
    return supabase;
  }

  /** A failed sign-in redirect leaves `error_description` in the URL: keep the message, clean the URL. */
  #takeRedirectError(): void {
    const url = new URL(location.href);
    const hash = new URLSearchParams(url.hash.slice(1));
    const message = url.searchParams.get('error_description') ?? hash.get('error_description');
    if (!message) return;
    this.redirectError ??= message;
    for (const key of ['error', 'error_code', 'error_description']) url.searchParams.delete(key);
    history.replaceState(history.state, '', `${url.pathname}${url.search}`);
  }

  /** Become the session's account (once per user, however many events announce it). */
  #useAccount(session: Session): Promise<void> {
    this.#token = session.access_token;
    const userId = session.user.id;
    if (this.#view.kind === 'account' && this.#view.userId === userId) return Promise.resolve();
    if (this.#pendingAccount?.userId === userId) return this.#pendingAccount.done;
    const done = (async () => {
      const claimed = await this.#claimGuestPlay();
      this.#set({ kind: 'account', userId, email: session.user.email ?? null, ...(claimed ? { claimed } : {}) });
    })().finally(() => {
      this.#pendingAccount = null;
    });
    this.#pendingAccount = { userId, done };
    return done;
  }

  /** Bring the stored guest's play into the account; forget the guest token once that is settled. */
  async #claimGuestPlay(): Promise<GuestClaim | undefined> {
    const guestToken = stored(GUEST_TOKEN_KEY);
    if (!guestToken) return undefined;
    try {
      const claim = await this.drama.claimGuest(guestToken);
      this.#forgetGuest();
      return claim.moved && claim.sessions + claim.stories > 0 ? claim : undefined;
    } catch (err) {
      // Invalid, expired or claimed by someone else: nothing to keep. Anything else: try at the next sign-in.
      if (isDramaApiError(err) && (err.status === 400 || err.status === 409)) this.#forgetGuest();
      return undefined;
    }
  }

  #useGuest(token: string, userId: string): void {
    this.#token = token;
    this.#set({ kind: 'guest', userId });
  }

  #forgetGuest(): void {
    store(GUEST_TOKEN_KEY, null);
    store(GUEST_USER_KEY, null);
  }

  #signedOut(): void {
    this.#token = null;
    this.#set({ kind: 'signed-out' });
  }

  /** A new guest (POST /api/auth/guest); concurrent callers share one request. */
  playAsGuest(): Promise<void> {
    // Not drama.signInAsGuest(): that would pin the client to this token, and the page's token changes.
    this.#guestSignIn ??= unwrap(this.drama.api.POST('/api/auth/guest'))
      .then((guest) => {
        store(GUEST_TOKEN_KEY, guest.token);
        store(GUEST_USER_KEY, guest.user_id);
        this.#useGuest(guest.token, guest.user_id);
      })
      .finally(() => {
        this.#guestSignIn = null;
      });
    return this.#guestSignIn;
  }

  #requireSupabase(): SupabaseClient {
    if (!this.#supabase) throw new Error('accounts are not configured on this server');
    return this.#supabase;
  }

  async signInWithPassword(email: string, password: string): Promise<void> {
    const { data, error } = await this.#requireSupabase().auth.signInWithPassword({ email, password });
    if (error) throw error;
    await this.#useAccount(data.session);
  }

  /** Create an account; `confirm` when the project wants the address confirmed first (no session yet). */
  async signUp(email: string, password: string): Promise<'signed-in' | 'confirm'> {
    const { data, error } = await this.#requireSupabase().auth.signUp({ email, password, options: { emailRedirectTo: returnUrl() } });
    if (error) throw error;
    if (!data.session) return 'confirm';
    await this.#useAccount(data.session);
    return 'signed-in';
  }

  async sendMagicLink(email: string): Promise<void> {
    const { error } = await this.#requireSupabase().auth.signInWithOtp({ email, options: { emailRedirectTo: returnUrl() } });
    if (error) throw error;
  }

  /** Leaves the page for the provider; supabase-js finishes the sign-in when it brings the player back. */
  async signInWithProvider(provider: string): Promise<void> {
    const { error } = await this.#requireSupabase().auth.signInWithOAuth({ provider: provider as never, options: { redirectTo: returnUrl() } });
    if (error) throw error;
  }

  async signOut(): Promise<void> {
    if (this.#supabase) await this.#supabase.auth.signOut();
    this.#signedOut();
  }

  /**
   * After a 401: an account refreshes its session once (signed out if that fails); a guest gets
   * a new guest token. Resolves when there is a token worth retrying with.
   */
  async recover(): Promise<boolean> {
    if (this.#view.kind === 'account' && this.#supabase) {
      const { data, error } = await this.#supabase.auth.refreshSession();
      if (error || !data.session) {
        await this.signOut();
        return false;
      }
      this.#token = data.session.access_token;
      return true;
    }
    if (this.#config?.guests && this.#view.kind === 'guest') {
      await this.playAsGuest();
      return true;
    }
    return false;
  }
}

/** Where a sign-in redirect brings the player back: the page they are on, without old auth params. */
function returnUrl(): string {
  return `${location.origin}${location.pathname === '/sign-in' ? '/' : location.pathname}`;
}
