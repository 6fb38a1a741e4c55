/**
 * What each store method can change of what the session cache holds (session-cache.ts): nothing,
 * one session's entry (the session its arguments name), or every entry. A method missing here
 * counts as every entry, so a repository's new method is safe before anyone lists it.
 * @module
 */
export const ALL = Symbol('all sessions');
export type Scope = string | typeof ALL | null;
type ScopeOf = (args: unknown[]) => Scope;

const firstArg: ScopeOf = (args) => (typeof args[0] === 'string' ? args[0] : ALL);
const fieldOf =
  (field: string): ScopeOf =>
  (args) => {
    const value = (args[0] as Record<string, unknown> | undefined)?.[field];
    return typeof value === 'string' ? value : ALL;
  };
export const untouched: ScopeOf = () => null;

/** Per repository and method: `null` nothing (reads, and writes to rows no cached read looks at), a session id, or `ALL`. */
export const SESSION_WRITES: Record<string, Record<string, ScopeOf>> = {
  // Not listed: what the cache answers itself (getSessionHead, createSession, loadTurn, commitTurn).
  sessions: { getSession: untouched, countSessions: untouched, listSessions: untouched, updateSteering: firstArg, deleteSession: firstArg },
  turns: { recentTurns: untouched, getTurn: untouched, getTurnByTask: untouched, listTurns: untouched, getTrace: untouched, recordings: untouched, usageTotals: untouched, editResponse: firstArg, forgetRecordings: untouched },
  memories: { search: untouched, candidates: untouched, list: untouched, get: untouched, staleEmbeddings: untouched, cacheStats: untouched, add: fieldOf('sessionId'), update: firstArg, remove: firstArg },
  cards: { list: untouched, forSession: untouched, get: untouched, staleEmbeddings: untouched, add: fieldOf('sessionId'), addMany: fieldOf('sessionId'), update: fieldOf('sessionId'), remove: fieldOf('sessionId') },
  timeline: { undo: firstArg, redo: firstArg, replaceLast: firstArg, restoreReplaced: firstArg, upgrade: fieldOf('sessionId') },
  members: { listMembers: untouched, createInvite: untouched, removeMember: firstArg, renameMember: firstArg },
  // The line of waiting actions is rows of its own, read by neither cached read.
  actions: { waiting: untouched, get: untouched, dispatch: untouched, drop: untouched, push: fieldOf('sessionId'), setMode: firstArg, moveRound: firstArg, openVote: firstArg, closeVote: firstArg },
  settings: { get: untouched, listKeys: untouched },
  stories: { getStory: untouched, getStoryHead: untouched, getStoryBySlug: untouched, listStories: untouched, getVersion: untouched, getVersionByNumber: untouched, listVersions: untouched },
  transfer: { contents: untouched },
  suspensions: { get: untouched, suspendedAmong: untouched, list: untouched },
};

/** Repositories whose rows no cached read looks at. */
export const UNRELATED = new Set(['shares', 'apiKeys', 'audit', 'activity', 'analytics']);

type Method = (...args: unknown[]) => unknown;

/**
 * `repo` with every method `wrap` gives a replacement for replaced by it (asked once per method,
 * given the method bound to `repo`); other methods and properties as they are. How the session
 * cache and the shared heads' forgetting stand in front of a repository.
 */
export function wrapMethods(repo: object, wrap: (name: string, method: Method) => Method | undefined): object {
  const wrappers = new Map<string, unknown>();
  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      let wrapper = wrappers.get(prop);
      if (wrapper === undefined) {
        wrapper = wrap(prop, (...args) => (value as Method).apply(target, args)) ?? value;
        wrappers.set(prop, wrapper);
      }
      return wrapper;
    },
  });
}
