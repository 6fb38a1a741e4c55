/**
 * A write-through cache of what a turn reads about its session, for a process that is the only
 * writer of its database: all-in-one on PGlite, whose data directory one process locks.
 *
 * Every turn used to read its session twice before the model was called (the action's session
 * head, then the turn's load) and both reads queued on PGlite's one session behind every other
 * player's statements. The commit knows exactly what it changed, so the entry is brought forward
 * by it instead of read again; a player's next turn then reads nothing before calling the model.
 *
 * Exact, not "fresh enough": the wrapper sees every call into the store, and
 * - a read it serves (`getSessionHead`, `loadTurn`) is stored only if no write that could touch
 *   the session finished while the read ran (a read that raced a write may hold older data);
 * - a write names the session it touches (its first argument, see {@link SESSION_WRITES}) and
 *   drops that session's entry when it finishes, failed or not;
 * - a call the wrapper does not know drops every entry: a method added to a repository later is
 *   safe before anyone lists it here. Repositories whose rows no cached read looks at (audit log,
 *   API keys, share links, the read-only analytics) are left alone;
 * - `commitTurn` writes through: it brings the entry forward to the session's new version, unless
 *   the entry was not the version the turn was computed from, or the commit discarded undone
 *   turns or forgot memories (then the entry goes).
 * Only the turns of the process's own store come through here: with `TURN_THREAD=on` a second
 * store writes to the same database, so the runtime leaves the cache off (create-runtime.ts).
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { NewSession, SessionHead } from '../domain/ports/session-store.js';
import type { SessionRecord } from '../domain/types.js';
import type { CommitOutcome, TurnCommit, TurnLoad } from '../domain/ports/turn-store.js';
import { ALL, SESSION_WRITES, UNRELATED, untouched, wrapMethods, type Scope } from './session-writes.js';
import type { SessionCacheStats, StoreWithStats } from './stats.js';

interface CachedLoad {
  load: TurnLoad;
  historyTurns: number;
  actorId: string;
  /** The task the last write-through committed: a job run again for it reads the database. */
  lastTaskId: string | null;
}

interface Entry {
  load?: CachedLoad;
  /** Heads by viewer (its member role is the viewer's). */
  heads: Map<string, SessionHead>;
}

/** A read in flight: stored when it ends only if no write that touched its session ended first. */
interface Flight {
  sessionId: string;
  stale: boolean;
}

/**
 * A value as it comes back from a jsonb column: what JSON drops is gone, and object keys are in
 * jsonb's order (shorter first, then bytewise), so a brought-forward entry reads exactly as a
 * fresh one, down to the order of a prompt's variables.
 */
export function asJsonb<T>(value: T): T {
  return jsonbOrder(JSON.parse(JSON.stringify(value))) as T;
}

function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }));
  keys.sort((a, b) => a.bytes.length - b.bytes.length || Buffer.compare(a.bytes, b.bytes));
  const ordered: Record<string, unknown> = {};
  for (const { key } of keys) ordered[key] = jsonbOrder((value as Record<string, unknown>)[key]);
  return ordered;
}

/** Rough bytes of an entry: its strings twice (UTF-16), plus the objects around them. */
function sizeOf(entry: Entry): number {
  let chars = 0;
  const load = entry.load?.load;
  if (load?.session) chars += load.session.inkState.length + load.session.view.text.length;
  for (const h of load?.history ?? []) chars += h.input.length + h.response.length + h.storyText.length;
  return 2 * chars + 2048 + entry.heads.size * 512;
}

export class SessionCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #flights = new Set<Flight>();
  readonly #budget: number;
  #hits = 0;
  #misses = 0;
  #writeThroughs = 0;

  constructor(budgetBytes: number) {
    this.#budget = budgetBytes;
    this.#entries = new LRUCache<string, Entry>({ maxSize: budgetBytes, sizeCalculation: sizeOf });
  }

  stats(): SessionCacheStats {
    return { sessions: this.#entries.size, bytes: this.#entries.calculatedSize, budgetBytes: this.#budget, hits: this.#hits, misses: this.#misses, writeThroughs: this.#writeThroughs };
  }

  /** Wrap a store: the repositories go through the cache. */
  wrap(store: StoreWithStats): StoreWithStats {
    const served: Record<string, Record<string, unknown>> = {
      sessions: {
        getSessionHead: (id: string, viewerId = '') => this.#head(store, id, viewerId),
        createSession: (input: NewSession) => this.#create(store, input),
      },
      turns: {
        loadTurn: (sessionId: string, taskId: string, historyTurns: number, actorId = '') => this.#load(store, sessionId, taskId, historyTurns, actorId),
        commitTurn: (commit: TurnCommit) => this.#commit(store, commit),
      },
    };
    const wrapped: Record<string, unknown> = { ...store, sessionCacheStats: () => this.stats() };
    for (const [name, repo] of Object.entries(store)) {
      if (!repo || typeof repo !== 'object' || UNRELATED.has(name)) continue;
      wrapped[name] = this.#guard(name, repo as object, served[name] ?? {});
    }
    return wrapped as unknown as StoreWithStats;
  }

  /** Drop one session's entry, or all, and spoil the reads in flight it touched. */
  invalidate(scope: Scope): void {
    if (scope === null) return;
    this.#spoil(scope);
    if (scope === ALL) this.#entries.clear();
    else this.#entries.delete(scope);
  }

  /** A write touching `scope` finished: reads of it still in flight may hold the state before it. */
  #spoil(scope: string | typeof ALL): void {
    for (const flight of this.#flights) if (scope === ALL || flight.sessionId === scope) flight.stale = true;
  }

  /** The repository with its writes dropping what they touch, and `served` methods answered here. */
  #guard(repoName: string, repo: object, served: Record<string, unknown>): object {
    const scopes = SESSION_WRITES[repoName] ?? {};
    return wrapMethods(repo, (name, method) => {
      if (Object.hasOwn(served, name)) return served[name] as (...args: unknown[]) => unknown;
      const scopeOf = scopes[name];
      if (scopeOf === untouched) return undefined;
      return (...args: unknown[]) => this.#write(scopeOf ? scopeOf(args) : ALL, () => method(...args));
    });
  }

  async #write<T>(scope: Scope, run: () => T): Promise<Awaited<T>> {
    try {
      return await run();
    } finally {
      this.invalidate(scope);
    }
  }

  /** Run `call` on `sessionId`; `keep` runs after it only if no write touched the session meanwhile. */
  async #tracked<T>(sessionId: string, call: () => Promise<T>, keep: (value: T) => void): Promise<T> {
    const flight: Flight = { sessionId, stale: false };
    this.#flights.add(flight);
    try {
      const value = await call();
      if (!flight.stale) keep(value);
      return value;
    } finally {
      this.#flights.delete(flight);
    }
  }

  /** A read the database answers (a miss), kept as {@link #tracked} allows. */
  #read<T>(sessionId: string, read: () => Promise<T>, keep: (value: T) => void): Promise<T> {
    this.#misses++;
    return this.#tracked(sessionId, read, keep);
  }

  #remember(sessionId: string, change: (entry: Entry) => void): void {
    const entry = this.#entries.get(sessionId) ?? { heads: new Map<string, SessionHead>() };
    change(entry);
    // Set after the change: the size is computed on set.
    this.#entries.set(sessionId, entry);
  }

  async #head(store: StoreWithStats, id: string, viewerId: string): Promise<SessionHead | null> {
    const cached = this.#entries.get(id)?.heads.get(viewerId);
    if (cached) {
      this.#hits++;
      return structuredClone(cached);
    }
    return this.#read(id, () => store.sessions.getSessionHead(id, viewerId), (head) => {
      if (head) this.#remember(id, (e) => e.heads.set(viewerId, structuredClone(head)));
    });
  }

  /** A new session: its owner's head is known from what was written, so their first action reads nothing. */
  #create(store: StoreWithStats, input: NewSession): Promise<SessionRecord> {
    return this.#tracked(input.id, () => store.sessions.createSession(input), (record) => {
      // The fields and their order as the head's statement returns them (session-repo.ts).
      const head: SessionHead = { id: record.id, ownerId: record.ownerId, status: record.status, turnNo: record.turnNo, turnMode: null, round: null, voteDeadline: null, updatedAt: record.updatedAt, memberRole: null };
      this.#remember(input.id, (e) => e.heads.set(record.ownerId, head));
    });
  }

  async #load(store: StoreWithStats, sessionId: string, taskId: string, historyTurns: number, actorId: string): Promise<TurnLoad> {
    const cached = this.#entries.get(sessionId)?.load;
    if (cached && cached.historyTurns === historyTurns && cached.actorId === actorId && cached.lastTaskId !== taskId) {
      this.#hits++;
      return structuredClone(cached.load);
    }
    return this.#read(sessionId, () => store.turns.loadTurn(sessionId, taskId, historyTurns, actorId), (load) => {
      // A committed task's load is not what the next turn reads; a missing session is not kept.
      if (load.committed || !load.session) return;
      this.#remember(sessionId, (e) => (e.load = { load: structuredClone({ ...load, committed: null }), historyTurns, actorId, lastTaskId: null }));
    });
  }

  async #commit(store: StoreWithStats, c: TurnCommit): Promise<CommitOutcome> {
    let outcome: CommitOutcome;
    try {
      outcome = await store.turns.commitTurn(c);
    } catch (err) {
      // A conflict says the entry was behind; anything else leaves it unknown.
      this.invalidate(c.sessionId);
      throw err;
    }
    const entry = this.#entries.get(c.sessionId);
    this.#spoil(c.sessionId);
    if (!entry || outcome.duplicate || !outcome.effects || !this.#bringForward(entry, c, outcome)) {
      this.invalidate(c.sessionId);
      return outcome;
    }
    this.#writeThroughs++;
    this.#entries.set(c.sessionId, entry);
    return outcome;
  }

  /** The entry as the database now has it; false when the commit changed what it cannot tell. */
  #bringForward(entry: Entry, c: TurnCommit, outcome: CommitOutcome): boolean {
    const effects = outcome.effects!;
    if (effects.discardedTurns > 0 || effects.forgottenMemories > 0) return false;
    const r = outcome.result;
    const cached = entry.load;
    const actorId = r.actorId ?? null;
    if (cached) {
      const session = cached.load.session;
      if (!session || session.version !== c.expectedVersion) return false;
      // The rolling summary the load reads comes from `summary` memories: let the database say.
      if (c.memories.some((m) => m.kind === 'summary')) return false;
      // History names a member who acted; only the name of the load's own actor is known here.
      if (actorId !== null && actorId !== cached.actorId) return false;
    }
    const updatedAt = effects.sessionUpdatedAt;
    for (const head of entry.heads.values()) Object.assign(head, { status: c.status, turnNo: r.turnNo, updatedAt });
    if (!cached) return true;
    const { load } = cached;
    const session = load.session!;
    const actor = actorId === null ? null : load.actorName;
    load.session = { ...session, inkState: c.inkState, view: asJsonb(c.view), status: c.status, turnNo: r.turnNo, version: session.version + 1, redoAvailable: false, updatedAt };
    // History entries come from a jsonb aggregate: their keys in jsonb's order too.
    const history = [...load.history, asJsonb({ turnNo: r.turnNo, input: r.input, action: r.action, response: r.response, storyText: r.updated_state.text, actor })];
    load.history = history.slice(Math.max(0, history.length - cached.historyTurns));
    if (c.memories.length > 0) {
      // One insert statement: the stats trigger adds one revision, however many rows.
      const { revision } = load.memory;
      load.memory = { ...load.memory, rows: load.memory.rows + c.memories.length, ...(revision === undefined ? {} : { revision: revision + 1 }) };
    }
    cached.lastTaskId = r.taskId ?? null;
    return true;
  }
}
