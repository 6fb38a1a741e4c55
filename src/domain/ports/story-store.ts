import type { InkFiles, StoryHead, StoryRecord, StoryVersion, StoryVisibility } from '../types.js';

export interface NewStory {
  slug: string;
  title: string;
  ownerId: string | null;
  source: string;
  /** A story of several files; null or absent for one. */
  sourceFiles?: InkFiles | null;
  /** What compiled `version` (see StoryRecord.sourceKey); absent: not known. */
  sourceKey?: string | null;
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
  /** Only public stories that are not hidden (the viewer's own private ones left out). */
  publicOnly?: boolean;
  /** Only stories whose title contains this text (case-insensitive substring; any script). */
  titleContains?: string;
}

/** Orders of a story listing; `played` counts the sessions started on each story. */
export type StorySort = 'oldest' | 'newest' | 'title' | 'played';

/** A page of a listing: `limit` absent = every story. */
export interface StoryPageRequest {
  sort?: StorySort;
  limit?: number;
  offset?: number;
}

/** What deleting a story did: removed with its versions, or retired (hidden) because sessions play it. */
export interface StoryDeletion {
  removed: boolean;
  /** Sessions on the story (any user's) when it was deleted. */
  sessions: number;
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
  /** A story that is not deleted. */
  getStory(id: string): Promise<StoryRecord | null>;
  /** {@link getStory} without the source (which can be large): for access checks and new sessions. */
  getStoryHead(id: string): Promise<StoryHead | null>;
  /** The story with this slug in the owner's library (null owner: the shipped stories). */
  getStoryBySlug(slug: string, ownerId: string | null): Promise<StoryRecord | null>;
  /** Stories oldest first (or as `page.sort` says), filtered (see {@link StoryFilter}); deleted ones never. */
  listStories(filter?: StoryFilter, page?: StoryPageRequest): Promise<StoryRecord[]>;
  /**
   * Delete a story: with no session on it, the story, its versions and its cards are removed; else
   * it is retired (`deleted_at` set): gone from listings and lookups, its sessions still play.
   */
  deleteStory(id: string): Promise<StoryDeletion>;
  /** Change a story's visibility, title or hidden flag; null when it does not exist. */
  updateStory(id: string, patch: StoryPatch): Promise<StoryRecord | null>;
  getVersion(storyId: string, hash: string): Promise<StoryVersion | null>;
  /** A version by its number (1, 2, 3…). */
  getVersionByNumber(storyId: string, versionNo: number): Promise<StoryVersion | null>;
  /** Every version, oldest first, with how many sessions play it now. */
  listVersions(storyId: string): Promise<StoryVersionSummary[]>;
}
