/**
 * The author's numbers for a story (GET /api/stories/:id/analytics): its owner and admins may read
 * them; anyone else who sees the story gets `forbidden`, and to everyone else it does not exist.
 * The database aggregates (AnalyticsStore), story-analytics.ts names endings and shares.
 * @module
 */
import { DramaError } from './errors.js';
import { loadStoryRuntime } from './load-story.js';
import type { AnalyticsScope } from './ports/analytics-store.js';
import type { SessionAccess } from './session-access.js';
import { asViewer, isStoryOwner, type Viewer } from './story-access.js';
import { computeAnalytics, type StoryAnalytics } from './story-analytics.js';

/**
 * Sessions whose ink state and views the coverage and choice points read, most recent first: that
 * part costs the database work per session (JSON parsed per session), so it is capped; every
 * count, rate and sum covers all sessions.
 */
export const ANALYTICS_SAMPLE_SESSIONS = 10_000;
/** Turn numbers the per-turn spend lists (first turns first). */
export const ANALYTICS_TURN_NUMBERS = 200;

export class AnalyticsService {
  constructor(
    private readonly service: Pick<SessionAccess, 'deps' | 'getVisibleStory'>,
    private readonly sampleSessions = ANALYTICS_SAMPLE_SESSIONS,
  ) {}

  /** The story's numbers, over every version or one (`version`: 1, 2, 3…). */
  async storyAnalytics(viewer: string | Viewer, storyId: string, opts: { version?: number } = {}): Promise<StoryAnalytics> {
    const who = asViewer(viewer);
    const story = await this.service.getVisibleStory(who, storyId);
    if (!who.admin && !isStoryOwner(story, who)) throw new DramaError('forbidden', 'Only the story’s owner can read its analytics');
    const { deps } = this.service;
    let hash = story.currentVersion;
    if (opts.version !== undefined) {
      const version = await deps.store.stories.getVersionByNumber(story.id, opts.version);
      if (!version) throw new DramaError('not_found', `Story ${story.id} has no version ${opts.version}`);
      hash = version.hash;
    }
    const runtime = await loadStoryRuntime(deps, story.id, hash);
    const scope: AnalyticsScope = { storyId: story.id, sampleSessions: this.sampleSessions, ...(opts.version !== undefined ? { versionHash: hash } : {}) };
    const a = deps.store.analytics;
    // Six aggregate statements, whatever the number of sessions.
    const [sessions, turns, byTurnNumber, endings, visits, choices] = await Promise.all([
      a.sessionTotals(scope),
      a.turnTotals(scope),
      a.usageByTurnNumber(scope, ANALYTICS_TURN_NUMBERS),
      a.endings(scope),
      a.pathVisits(scope),
      a.choiceGroups(scope),
    ]);
    return computeAnalytics({ storyId: story.id, version: opts.version ?? null, outline: runtime.outline, sessions, turns, byTurnNumber, endings, visits, choices, sampleLimit: this.sampleSessions });
  }
}
