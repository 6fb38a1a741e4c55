import type { InkFiles, StoryRecord, StoryVersion, StoryVisibility } from '../types.js';

export interface NewStory {
  slug: string;
  title: string;
  ownerId: string | null;
  source: string;
  /** A story of several files; null or absent for one. */
  sourceFiles?: InkFiles | null;
  version: StoryVersion;
  /** Set on insert and, when given, on a new version too; default public for shipped stories, private otherwise. */
  visibility?: StoryVisibility;
}

/** Which stories to list (all of them when empty). */
export interface StoryFilter {
  /** Only what this user may see: their own, and public stories that are not hidden. */
  visibleTo?: string;
  /** Only this owner's stories. */
  ownerId?: string;
  hidden?: boolean;
}

/** Fields of a story its owner (visibility, title) or a moderator (hidden) may change. */
export interface StoryPatch {
  visibility?: StoryVisibility;
  title?: string;
  hidden?: boolean;
}

/** A version as authors list them. */
export interface StoryVersionSummary {
  versionNo: number;
  hash: string;
  createdAt: Date;
  /** Sessions on this version now. */
  sessions: number;
}

export interface StoryStore {
  /** Create the story, or add the version to an existing story with the same slug and owner. */
  saveStory(input: NewStory): Promise<StoryRecord>;
  getStory(id: string): Promise<StoryRecord | null>;
  /** The story with this slug in the owner's library (null owner: the shipped stories). */
  getStoryBySlug(slug: string, ownerId: string | null): Promise<StoryRecord | null>;
  /** Stories oldest first, filtered (see {@link StoryFilter}). */
  listStories(filter?: StoryFilter): Promise<StoryRecord[]>;
  /** Change a story's visibility, title or hidden flag; null when it does not exist. */
  updateStory(id: string, patch: StoryPatch): Promise<StoryRecord | null>;
  getVersion(storyId: string, hash: string): Promise<StoryVersion | null>;
  /** A version by its number (1, 2, 3…). */
  getVersionByNumber(storyId: string, versionNo: number): Promise<StoryVersion | null>;
  /** Every version, oldest first, with how many sessions play it now. */
  listVersions(storyId: string): Promise<StoryVersionSummary[]>;
}
