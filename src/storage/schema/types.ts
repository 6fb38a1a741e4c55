/** Row types inferred from the tables, for the repositories' mappers. */
import type { cards } from './cards.js';
import type { memories } from './memories.js';
import type { sessions } from './sessions.js';
import type { stories } from './stories.js';
import type { storyVersions } from './story-versions.js';
import type { turns } from './turns.js';

export type StoryRow = typeof stories.$inferSelect;
export type StoryVersionRow = typeof storyVersions.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type TurnRow = typeof turns.$inferSelect;
export type MemoryRow = typeof memories.$inferSelect;
export type CardRow = typeof cards.$inferSelect;
