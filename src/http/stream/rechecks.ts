/**
 * Open streams verify their credential again every `security.streamRecheckMs`, so a user
 * suspended or an API key revoked after a stream opened is cut off then, not only at the next
 * reconnect. One timer per process does it for every open stream, in rounds: each batch of
 * streams first learns which of their users are suspended in one statement
 * (`ModerationService.primeSuspensions`), then verifies each distinct credential once, answered
 * from that. A stream of its own timer read its user's suspension each time (the cache lives 15 s,
 * the re-check comes every 30): a web server holding 3,000 idle players' sockets spent ~3.6 % of a
 * core on it (bench/README.md), and the database a statement per socket per round.
 * @module
 */
import { isDramaError, type DramaError } from '../../domain/errors.js';
import { chunked } from '../../shared/chunked.js';
import type { HttpDeps } from '../app-context.js';

/** Refusals that end an open stream; anything else (the database away, say) leaves it open. */
const REFUSED = new Set(['account_suspended', 'api_key_revoked', 'api_key_invalid', 'unauthorized']);

/** Credentials verified per batch: one suspension statement each. */
export const RECHECK_BATCH = 500;

interface Watch {
  userId: string;
  credential: string;
  onRefused: (err: DramaError) => void;
}

/** The re-checks of one app's open streams. */
export class StreamRechecks {
  readonly #watches = new Set<Watch>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    private readonly deps: Pick<HttpDeps, 'auth' | 'accounts'>,
    private readonly everyMs: number,
  ) {}

  /** Re-check `credential` (the user's) until the returned cancel; `onRefused` runs once, with the refusal. */
  watch(userId: string, credential: string, onRefused: (err: DramaError) => void): () => void {
    const watch: Watch = { userId, credential, onRefused };
    this.#watches.add(watch);
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#round(), this.everyMs);
      this.#timer.unref();
    }
    return () => this.#forget(watch);
  }

  #forget(watch: Watch): boolean {
    const had = this.#watches.delete(watch);
    if (this.#watches.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    return had;
  }

  async #round(): Promise<void> {
    // A round still running (a slow database) is not overtaken by the next.
    if (this.#running) return;
    this.#running = true;
    try {
      const byCredential = new Map<string, Watch[]>();
      for (const watch of this.#watches) {
        const same = byCredential.get(watch.credential);
        if (same) same.push(watch);
        else byCredential.set(watch.credential, [watch]);
      }
      for (const batch of chunked([...byCredential.values()], RECHECK_BATCH)) {
        // If this fails (the database away), each verify reads on its own, and a failure that is
        // no refusal leaves its stream open, as before.
        await this.deps.accounts?.moderation.primeSuspensions(batch.map((watches) => watches[0]!.userId)).catch(() => undefined);
        await Promise.all(batch.map((watches) => this.#verify(watches)));
      }
    } finally {
      this.#running = false;
    }
  }

  async #verify(watches: Watch[]): Promise<void> {
    try {
      await this.deps.auth.verify(watches[0]!.credential);
    } catch (err) {
      if (!isDramaError(err) || !REFUSED.has(err.code)) return;
      for (const watch of watches) if (this.#forget(watch)) watch.onRefused(err);
    }
  }
}

const perApp = new WeakMap<HttpDeps, StreamRechecks>();

/**
 * Re-check an open stream's credential every `security.streamRecheckMs` (0, or no credential:
 * never). `onRefused` runs once, with the refusal. Returns the cancel. Every stream of an app
 * (the same `deps`) shares one {@link StreamRechecks}.
 */
export function whenRefused(deps: HttpDeps, userId: string, credential: string | null, onRefused: (err: DramaError) => void): () => void {
  const every = deps.security?.streamRecheckMs ?? 0;
  if (every <= 0 || !credential) return () => undefined;
  let rechecks = perApp.get(deps);
  if (!rechecks) perApp.set(deps, (rechecks = new StreamRechecks(deps, every)));
  return rechecks.watch(userId, credential, onRefused);
}
