/**
 * The use cases every front end (HTTP, terminal player, benchmarks) calls. Ownership and input
 * checks live here, once, rather than in each transport.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { AnalyticsService } from './analytics-service.js';
import { MemberService } from './member-service.js';
import { DramaError } from './errors.js';
import { MemoryService } from './memory-service.js';
import { rememberIfSolo, submitAction } from './submit-action.js';
import { readableSession, taskStatus } from './session-reads.js';
import type { SessionHead } from './ports/session-store.js';
import type { StoryDeletion, StoryVersionSummary } from './ports/story-store.js';
import { deleteStory, listStoryPage, type StoryQuery } from './story-library.js';
import type { TurnInclude } from './ports/turn-store.js';
import type { TaskStatus, TurnQueue } from './ports/turn-queue.js';
import { startSession } from './start-session.js';
import { TimelineService } from './timeline-service.js';
import { TurnArbiter } from './turn-arbiter.js';
import { ShareService } from './share-service.js';
import { TransferService } from './transfer-service.js';
import { assertPlayable, asViewer, canSeeStory, foundStory, isStoryOwner, type Viewer } from './story-access.js';
import { checkedActionInput, cleanText } from './clean-text.js';
import { arbiterLimits, hasNul, quotaExceeded, startOfUtcDay, type ServiceHooks, type ServiceLimits, type SubmitAction } from './service-checks.js';

export type { ServiceHooks, ServiceLimits, SubmitAction } from './service-checks.js';
import { checkAccess, type SessionNeed } from './session-roles.js';
import { applySteering, type SteeringPatch } from './steering.js';
import { assertInkFiles, installStory, type InstallStoryInput } from './stories.js';
import type { TurnDeps } from './turn-deps.js';
import type { ActionKind, InkFiles, MemberRole, SessionRecord, StoryRecord, StoryVisibility, TurnMode, TurnResult } from './types.js';

export class DramaService {
  /** Session memories, story cards and session deletion (long-term memory under the player's control). */
  readonly memory: MemoryService = new MemoryService(this);
  /** Undo, redo, retry and fork. */
  readonly timeline: TimelineService = new TimelineService(this);
  /** The author's numbers from real play. */
  readonly analytics: AnalyticsService = new AnalyticsService(this);
  /** Members and invites of shared sessions. */
  readonly members: MemberService = new MemberService(this, () => this.limits.maxMembersPerSession ?? 8);
  /** Export and import of whole sessions. */
  readonly transfer: TransferService = new TransferService(this, (input) => this.installStory(input));
  /** Read-only links to sessions' transcripts. */
  readonly shares: ShareService = new ShareService(this);

  #arbiter?: TurnArbiter;

  constructor(
    readonly deps: TurnDeps,
    readonly queue: TurnQueue,
    readonly limits: ServiceLimits,
    readonly hooks: ServiceHooks = {},
  ) {}

  /** Who acts when in shared sessions (free line, rounds, votes). */
  get arbiter(): TurnArbiter {
    return (this.#arbiter ??= new TurnArbiter(this.deps, this.queue, () => arbiterLimits(this.limits), this.hooks.isOnline));
  }

  /** The owner sets who acts when in the session (see turn-arbiter.ts); actions still waiting are dropped. */
  async setTurnMode(ownerId: string, sessionId: string, mode: TurnMode): Promise<SessionRecord> {
    const head = await this.ownedSession(ownerId, sessionId);
    await this.arbiter.setMode(head, mode);
    return this.getSession(ownerId, sessionId);
  }

  /** The stories a user may see: their own, and public ones a moderator has not hidden (all stories when no user is given); `query` searches, sorts and pages. */
  listStories(visibleTo?: string, query?: StoryQuery): Promise<StoryRecord[]> {
    if (visibleTo !== undefined && query) return listStoryPage(this.deps, visibleTo, query);
    return this.deps.store.stories.listStories(visibleTo === undefined ? {} : { visibleTo });
  }

  /** Delete a story (its owner or an admin): see story-library.ts for what happens to its sessions. */
  deleteStory(viewer: string | Viewer, id: string): Promise<StoryDeletion> {
    return deleteStory(this.deps, viewer, id);
  }

  async getStory(id: string): Promise<StoryRecord> {
    return foundStory(hasNul(id) ? null : await this.deps.store.stories.getStory(id), id);
  }

  /** A story the viewer may see (see story-access.ts); anyone else's private story is reported as not found. */
  async getVisibleStory(viewer: string | Viewer, id: string): Promise<StoryRecord> {
    const story = await this.getStory(id);
    if (!canSeeStory(story, asViewer(viewer))) throw new DramaError('story_not_found', `Story ${id} not found`);
    return story;
  }

  /** The owner changes their story's visibility or title; others may not (403 if they can see it, else 404). */
  async updateStory(viewer: string | Viewer, id: string, patch: { visibility?: StoryVisibility; title?: string }): Promise<StoryRecord> {
    const story = await this.getVisibleStory(viewer, id);
    if (!isStoryOwner(story, asViewer(viewer))) throw new DramaError('forbidden', 'Only the story’s owner can change it');
    const title = patch.title === undefined ? undefined : cleanText(patch.title).trim();
    if (title !== undefined && title.length === 0) throw new DramaError('bad_request', 'title is empty', { details: [{ path: 'title', message: 'must not be empty' }] });
    const updated = await this.deps.store.stories.updateStory(id, { ...(patch.visibility ? { visibility: patch.visibility } : {}), ...(title !== undefined ? { title } : {}) });
    return foundStory(updated, id);
  }

  /** The owner replaces their story's source: it compiles as the next version (sessions stay on theirs until upgraded). */
  async updateStorySource(viewer: string | Viewer, id: string, input: { source: string | InkFiles; title?: string }): Promise<StoryRecord> {
    const story = await this.getVisibleStory(viewer, id);
    if (!isStoryOwner(story, asViewer(viewer))) throw new DramaError('forbidden', 'Only the story’s owner can change it');
    return this.#install({ source: input.source, slug: story.slug, title: input.title ?? story.title, ownerId: story.ownerId });
  }

  /** The story's versions, oldest first, with how many sessions play each. */
  async listStoryVersions(viewer: string | Viewer, id: string): Promise<StoryVersionSummary[]> {
    const story = await this.getVisibleStory(viewer, id);
    return this.deps.store.stories.listVersions(story.id);
  }

  async installStory(input: InstallStoryInput): Promise<StoryRecord> {
    await this.#checkStoryQuota(input.ownerId);
    return this.#install(input);
  }

  async #install(input: InstallStoryInput): Promise<StoryRecord> {
    const texts: [string, string | undefined][] = [['title', input.title]];
    if (typeof input.source === 'string') texts.push(['source', input.source]);
    else {
      assertInkFiles(input.source);
      for (const [name, text] of Object.entries(input.source.files)) texts.push([`files.${name}`, text]);
    }
    for (const [path, value] of texts) {
      if (value !== undefined && hasNul(value)) throw new DramaError('bad_request', `${path} contains a NUL character`, { details: [{ path, message: 'must not contain NUL (\\u0000) characters' }] });
    }
    return installStory(this.deps, input);
  }

  // Check-then-insert: concurrent requests of one user may overshoot a quota by a few; the rate
  // limits on the same routes bound by how much.
  async #checkStoryQuota(ownerId: string | null | undefined): Promise<void> {
    const limit = this.limits.maxStoriesPerUser ?? 0;
    if (limit <= 0 || !ownerId) return;
    const used = (await this.deps.store.stories.listStories({ ownerId })).length;
    if (used >= limit) throw quotaExceeded('stories', limit, used);
  }

  /** Start a session on a story the viewer (by default the owner, without admin rights) may play. */
  async startSession(ownerId: string, storyId: string, viewer: Viewer = { userId: ownerId }): Promise<{ session: SessionRecord; opening: TurnResult }> {
    // With shared session heads the new session is remembered at once, so its socket's opening and
    // its first action read nothing; the stamp is cut before the insert (ports/session-heads.ts).
    const heads = this.deps.heads;
    const id = randomUUID();
    const stamp = heads?.stamp(id).catch((err: Error) => void this.deps.logger.warn({ err: err.message }, 'could not stamp a new session head'));
    const story = foundStory(hasNul(storyId) ? null : await this.deps.store.stories.getStoryHead(storyId), storyId);
    assertPlayable(story, viewer);
    await this.checkSessionQuota(ownerId);
    const cut = await stamp;
    const started = await startSession(this.deps, { ownerId, storyId, story, id });
    if (heads && cut !== undefined) rememberIfSolo(this, heads, started.session, ownerId, cut);
    return started;
  }

  /** Refuse a new session (started or forked) once the user's session quota is full. */
  async checkSessionQuota(ownerId: string): Promise<void> {
    const limit = this.limits.maxSessionsPerUser ?? 0;
    if (limit <= 0) return;
    const used = await this.deps.store.sessions.countSessions(ownerId);
    if (used >= limit) throw quotaExceeded('sessions', limit, used);
  }

  /** A session the caller owns; someone else's session is reported as not found (no probing). */
  async getSession(ownerId: string, sessionId: string): Promise<SessionRecord> {
    const session = hasNul(sessionId) ? null : await this.deps.store.sessions.getSession(sessionId);
    if (!session || session.ownerId !== ownerId) throw new DramaError('session_not_found', `Session ${sessionId} not found`);
    return session;
  }

  /** Like {@link getSession}, reading only the session's head: for checks that need no ink state. */
  ownedSession(ownerId: string, sessionId: string): Promise<SessionHead> {
    return this.sessionFor(ownerId, sessionId, 'own');
  }

  /** Whether the caller may read the session, and whether it is shared (session-reads.ts). */
  readableSession(userId: string, sessionId: string): Promise<{ shared: boolean }> {
    return readableSession(this, userId, sessionId);
  }

  /** The session's head when the caller may `need` it (see session-roles.ts); one statement. */
  async sessionFor(userId: string, sessionId: string, need: SessionNeed): Promise<SessionHead> {
    const head = hasNul(sessionId) ? null : await this.deps.store.sessions.getSessionHead(sessionId, userId);
    return checkAccess(head, userId, sessionId, need);
  }

  /** The caller's sessions, most recently played first (only their own: the owner is the filter). */
  listSessions(userId: string, page: { limit: number; before?: Date }): Promise<(SessionRecord & { memberRole: MemberRole | null })[]> {
    return this.deps.store.sessions.listSessions(userId, page);
  }

  /** The session's turns: the timeline (active turns), or with `include: 'all'` every alternative too. */
  async listTurns(userId: string, sessionId: string, page: { afterTurnNo?: number; limit: number; include?: TurnInclude }): Promise<TurnResult[]> {
    await this.sessionFor(userId, sessionId, 'read');
    return this.deps.store.turns.listTurns(sessionId, page);
  }

  /**
   * Change how the player steers the session's narrator (author's note, persona, instructions),
   * from the next turn on. A field too long changes nothing (`payload_too_large`).
   */
  async steerSession(ownerId: string, sessionId: string, patch: SteeringPatch): Promise<SessionRecord> {
    await this.ownedSession(ownerId, sessionId);
    applySteering(null, patch);
    const session = await this.deps.store.sessions.updateSteering(sessionId, (current) => applySteering(current, patch));
    if (!session) throw new DramaError('session_not_found', `Session ${sessionId} not found`);
    return session;
  }

  /** A player's words as a turn takes them (see {@link checkedActionInput}). */
  actionInput(raw: string, action: ActionKind): string {
    return checkedActionInput(raw, action, this.limits.maxInputChars);
  }

  /** Queue a turn (submit-action.ts). Throws `turn_in_progress` while the session has one queued or running. */
  submitAction(req: SubmitAction): Promise<TaskStatus> {
    return submitAction(this, req);
  }

  /**
   * Stop the session's turn that is queued, running or waiting for a retry: its model calls are
   * aborted and it fails with `cancelled` (watchers get `turn.failed`). Resolves with the task's
   * final status — `completed` when the turn committed before the cancel landed — and the
   * session takes a new action from then on. `no_turn_in_progress` when nothing is in flight.
   */
  async cancelTurn(ownerId: string, sessionId: string): Promise<TaskStatus> {
    await this.ownedSession(ownerId, sessionId);
    const status = await this.queue.cancel(sessionId);
    if (!status) throw new DramaError('no_turn_in_progress', 'This session has no turn queued or running');
    return status;
  }

  /** A task's status, for its session's readers only when `ownerId` is given (session-reads.ts). */
  getTask(taskId: string, ownerId?: string): Promise<TaskStatus> {
    return taskStatus(this, taskId, ownerId);
  }

  /** Refuse before any model is called once the user's tokens for today are spent. */
  async checkBudget(ownerId: string): Promise<void> {
    const budget = this.limits.dailyTokenBudget ?? 0;
    if (budget <= 0) return;
    const since = startOfUtcDay(this.deps.clock.now());
    // Tokens the player paid for with their own key are not the server's to limit.
    const totals = await this.deps.store.turns.usageTotals({ ownerId, since });
    const tokens = totals.tokens - totals.byokTokens;
    this.hooks.onBudgetCheck?.(tokens / budget);
    if (tokens >= budget) {
      const retryAfterSeconds = Math.ceil((since.getTime() + 86_400_000 - this.deps.clock.now()) / 1000);
      throw new DramaError('budget_exceeded', `Today's token budget (${budget}) is spent; it resets at 00:00 UTC`, {
        details: { budget, used: tokens, retry_after_seconds: retryAfterSeconds },
      });
    }
  }

  /** Tokens and cost: of one session, or of all the user's sessions (today and overall). */
  async usage(ownerId: string, sessionId?: string) {
    if (sessionId !== undefined) {
      await this.getSession(ownerId, sessionId);
      return { session: await this.deps.store.turns.usageTotals({ sessionId }) };
    }
    const [today, total] = await Promise.all([
      this.deps.store.turns.usageTotals({ ownerId, since: startOfUtcDay(this.deps.clock.now()) }),
      this.deps.store.turns.usageTotals({ ownerId }),
    ]);
    return { today, total, daily_token_budget: this.limits.dailyTokenBudget ?? 0 };
  }

  /** The context trace of a turn of the caller's session. */
  async trace(ownerId: string, sessionId: string, turnNo: number): Promise<unknown> {
    await this.getSession(ownerId, sessionId);
    const trace = await this.deps.store.turns.getTrace(sessionId, turnNo);
    if (trace === null) throw new DramaError('not_found', `No trace for turn ${turnNo} of session ${sessionId}`);
    return trace;
  }
}
