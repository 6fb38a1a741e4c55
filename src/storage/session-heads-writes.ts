/**
 * The store of a distributed process with every write that can change a session's shared facts
 * (domain/ports/session-heads.ts: its owner, its existence, its status, its turn mode) followed by
 * forgetting them, once the write has finished (failed or not). Built on the session cache's map
 * of writes (session-writes.ts), so a method added to a repository later forgets every session
 * until someone lists it; the repositories and methods that cannot touch those four facts are
 * left alone here, each for the reason given.
 * @module
 */
import type { SessionHeads } from '../domain/ports/session-heads.js';
import type { JoinOutcome } from '../domain/ports/member-store.js';
import type { TurnCommit } from '../domain/ports/turn-store.js';
import type { Logger } from '../shared/log.js';
import { ALL, SESSION_WRITES, UNRELATED, untouched, wrapMethods, type Scope } from './session-writes.js';
import type { StoreWithStats } from './stats.js';

/** What a write can change of the shared facts, from its arguments and, once it finished, its result. */
type ScopeOf = (args: unknown[], result: unknown) => Scope;
/** Repositories none of whose rows say who owns a session, whether it exists, plays, or is shared. */
const UNTOUCHED_REPOS = new Set([...UNRELATED, 'memories', 'cards', 'stories', 'settings', 'suspensions']);

/** Only a join that let someone in makes the session shared; a call that failed may have done anything. */
const joinedSession: ScopeOf = (_args, result) => {
  if (result === undefined) return ALL;
  const outcome = result as JoinOutcome;
  return outcome.kind === 'joined' ? outcome.sessionId : null;
};
const endedByCommit: ScopeOf = (args) => {
  const commit = args[0] as TurnCommit;
  return commit.status === 'ended' ? commit.sessionId : null;
};

/** Per repository and method, what the write can change of the shared facts. */
const HEAD_WRITES: Record<string, Record<string, ScopeOf>> = Object.fromEntries(Object.entries(SESSION_WRITES).map(([repo, methods]) => [repo, { ...methods }]));
// A new session's id is new: nothing is known of it yet. Steering changes none of the facts.
Object.assign(HEAD_WRITES.sessions!, { getSessionHead: untouched, createSession: untouched, updateSteering: untouched });
// A turn moves the session on; only its ending changes a fact.
Object.assign(HEAD_WRITES.turns!, { loadTurn: untouched, commitTurn: endedByCommit, editResponse: untouched });
// A fork is a new session; the one it came from is as it was.
Object.assign(HEAD_WRITES.timeline!, { fork: untouched });
// Joining makes a session shared (its turn mode is set).
Object.assign(HEAD_WRITES.members!, { join: joinedSession, renameMember: untouched });
// The line, rounds and votes exist only in shared sessions, which are never remembered;
// setting the mode (to one, or back to none) stays the session's write.
Object.assign(HEAD_WRITES.actions!, { push: untouched, moveRound: untouched, openVote: untouched, closeVote: untouched });
// An imported session has a new id.
Object.assign(HEAD_WRITES.transfer!, { create: untouched });

export function withSessionHeadWrites(store: StoreWithStats, heads: SessionHeads, logger: Logger): StoreWithStats {
  const forget = async (scope: Scope) => {
    if (scope === null) return;
    try {
      await (scope === ALL ? heads.forgetAll() : heads.forget(scope));
    } catch (err) {
      // The write itself stands; the head it should have dropped expires on its own.
      logger.warn({ err: (err as Error).message, session: scope === ALL ? 'all' : scope }, 'could not forget a session head');
    }
  };
  const wrapped: Record<string, unknown> = { ...store };
  for (const [name, repo] of Object.entries(store)) {
    if (!repo || typeof repo !== 'object' || UNTOUCHED_REPOS.has(name)) continue;
    wrapped[name] = guard(repo as object, HEAD_WRITES[name] ?? {}, forget);
  }
  return wrapped as unknown as StoreWithStats;
}

function guard(repo: object, scopes: Record<string, ScopeOf>, forget: (scope: Scope) => Promise<void>): object {
  return wrapMethods(repo, (name, method) => {
    const scopeOf = scopes[name];
    if (scopeOf === untouched) return undefined;
    return async (...args: unknown[]) => {
      let result: unknown;
      try {
        result = await method(...args);
        return result;
      } finally {
        await forget(scopeOf ? scopeOf(args, result) : ALL);
      }
    };
  });
}
