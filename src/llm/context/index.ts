/**
 * The context builder: the one place narrator and judge prompts are made.
 * @module
 */
export {
  appendSection,
  buildContext,
  DEFAULT_AUTHOR_NOTE_DEPTH,
  DEFAULT_CONTEXT_BUDGETS,
  type BuiltContext,
  type ContextOptions,
  type ContextRole,
  type ContextSection,
  type SectionName,
} from './build-context.js';
export { keywordMatcher, triggeredCards, type StoryCard } from './cards.js';
export { keepHeadTokens, keepTailTokens } from './clip.js';
export { CONTEXT_LIMITS } from './pieces.js';
export { defuseTags, SECTION_TAGS } from './tags.js';
