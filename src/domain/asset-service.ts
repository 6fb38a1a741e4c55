/**
 * Story assets: the owner uploads images and audio (`POST /api/stories/:id/assets`), anyone who may
 * see the story reads them, and players read them through their session (the URLs that media tags
 * resolve to). Bytes live behind the {@link AssetStorage} port under `stories/<story id>/<name>`.
 * @module
 */
import { coverName, isAssetName, mediaNamesInSource, parseMediaTag, sniffAssetType, type AssetType, type MediaKind } from './assets.js';
import { DramaError } from './errors.js';
import type { AssetStorage, StoredObject } from './ports/asset-storage.js';
import type { SessionAccess } from './session-access.js';
import { asViewer, isStoryOwner, type Viewer } from './story-access.js';
import type { StoryRecord } from './types.js';

export interface AssetLimits {
  /** Largest asset in bytes. */
  maxBytes: number;
  /** Bytes of assets one user may hold across their stories (0 = no limit). */
  quotaBytes: number;
}

export interface AssetInfo {
  name: string;
  size: number;
}

export interface AssetBody {
  bytes: Uint8Array;
  etag: string;
  type: AssetType;
  /** The story is public: shared caches may keep it. */
  public: boolean;
}

/** A media tag resolved: what it shows or plays, and where a client fetches it. */
export interface MediaRef {
  kind: MediaKind;
  name: string;
  url: string;
}

const prefixOf = (storyId: string) => `stories/${storyId}/`;

/** The URL a session's media tag resolves to (the session's access rules apply). */
export function sessionAssetUrl(sessionId: string, name: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/assets/${encodeURIComponent(name)}`;
}

export function storyAssetUrl(storyId: string, name: string): string {
  return `/api/stories/${encodeURIComponent(storyId)}/assets/${encodeURIComponent(name)}`;
}

/** The media tags among a passage's tags, with their URLs in the session. */
export function mediaOf(sessionId: string, tags: readonly string[]): MediaRef[] {
  return tags.flatMap((t) => {
    const tag = parseMediaTag(t);
    return tag && isAssetName(tag.name) ? [{ ...tag, url: sessionAssetUrl(sessionId, tag.name) }] : [];
  });
}

/** The cover's URL, when the story names one with `# cover:`. */
export function coverUrl(story: Pick<StoryRecord, 'id' | 'source'>): string | null {
  const name = coverName(story.source);
  return name && isAssetName(name) ? storyAssetUrl(story.id, name) : null;
}

export class AssetService {
  constructor(
    private readonly storage: AssetStorage,
    private readonly access: Pick<SessionAccess, 'getVisibleStory' | 'sessionFor' | 'deps'>,
    private readonly limits: AssetLimits,
  ) {}

  /** Stores the owner's file; `warnings` names media tags of the story that no asset answers yet. */
  async upload(viewer: string | Viewer, storyId: string, name: string, bytes: Uint8Array): Promise<{ asset: AssetInfo & { type: AssetType }; warnings: string[] }> {
    const story = await this.#owned(viewer, storyId);
    checkName(name);
    if (bytes.length > this.limits.maxBytes) throw new DramaError('payload_too_large', `The asset is ${bytes.length} bytes; the limit is ${this.limits.maxBytes}`);
    const type = sniffAssetType(bytes);
    if (!type) throw new DramaError('unsupported_media_type', 'Not an image or audio file we take: png, jpeg, webp, gif, mp3, ogg or wav (told from the bytes)');
    await this.#checkQuota(story, name, bytes.length);
    const stored = await this.storage.put(prefixOf(story.id) + name, bytes, type);
    const have = new Set((await this.storage.list(prefixOf(story.id))).map((o) => o.key.slice(prefixOf(story.id).length)));
    return { asset: { ...toInfo(story.id, stored), type }, warnings: missingWarnings(story.source, have) };
  }

  /** The story's assets, and the warnings of its media tags that name none (as at upload). */
  async list(viewer: string | Viewer, storyId: string): Promise<{ assets: AssetInfo[]; warnings: string[] }> {
    const story = await this.access.getVisibleStory(viewer, storyId);
    const assets = (await this.storage.list(prefixOf(story.id))).map((o) => toInfo(story.id, o));
    return { assets, warnings: missingWarnings(story.source, new Set(assets.map((a) => a.name))) };
  }

  /** At a story's upload (or new version): its media tags that name no asset yet. */
  async missingFor(story: StoryRecord): Promise<string[]> {
    const have = new Set((await this.storage.list(prefixOf(story.id))).map((o) => o.key.slice(prefixOf(story.id).length)));
    return missingWarnings(story.sourceFiles ? Object.values(story.sourceFiles.files).join('\n') : story.source, have);
  }

  /** A story was removed for good (not retired): its files go too. */
  async removeAll(storyId: string): Promise<void> {
    for (const o of await this.storage.list(prefixOf(storyId))) await this.storage.delete(o.key);
  }

  async remove(viewer: string | Viewer, storyId: string, name: string): Promise<void> {
    const story = await this.#owned(viewer, storyId);
    if (!isAssetName(name) || !(await this.storage.delete(prefixOf(story.id) + name))) throw notFound(name);
  }

  /** An asset of a story the viewer may see (anyone else's private story: not found). */
  async read(viewer: string | Viewer, storyId: string, name: string): Promise<AssetBody> {
    const story = await this.access.getVisibleStory(viewer, storyId);
    return this.#body(story, name);
  }

  /** An asset of the story a session plays, for whoever may read the session (members too). */
  async readForSession(userId: string, sessionId: string, name: string): Promise<AssetBody> {
    await this.access.sessionFor(userId, sessionId, 'read');
    const session = await this.access.deps.store.sessions.getSession(sessionId);
    const story = session ? await this.access.deps.store.stories.getStory(session.storyId) : null;
    if (!story) throw notFound(name);
    return this.#body(story, name);
  }

  async #body(story: StoryRecord, name: string): Promise<AssetBody> {
    const found = isAssetName(name) ? await this.storage.get(prefixOf(story.id) + name) : null;
    const type = found ? sniffAssetType(found.bytes) : null;
    if (!found || !type) throw notFound(name);
    return { bytes: found.bytes, etag: found.etag, type, public: story.visibility === 'public' && !story.hidden };
  }

  async #owned(viewer: string | Viewer, storyId: string): Promise<StoryRecord> {
    const story = await this.access.getVisibleStory(viewer, storyId);
    if (!isStoryOwner(story, asViewer(viewer))) throw new DramaError('forbidden', 'Only the story’s owner can change its assets');
    return story;
  }

  /** The owner's assets across their stories, the one being replaced not counted, plus the new one. */
  async #checkQuota(story: StoryRecord, name: string, size: number): Promise<void> {
    const limit = this.limits.quotaBytes;
    if (limit <= 0 || !story.ownerId) return;
    const stories = await this.access.deps.store.stories.listStories({ ownerId: story.ownerId });
    let used = 0;
    for (const s of stories) for (const o of await this.storage.list(prefixOf(s.id))) if (o.key !== prefixOf(story.id) + name) used += o.size;
    if (used + size > limit) throw new DramaError('forbidden', `Your assets would take ${used + size} bytes; the limit is ${limit}`, { details: { quota: 'asset_bytes', limit, used } });
  }
}

function missingWarnings(source: string, have: ReadonlySet<string>): string[] {
  return mediaNamesInSource(source)
    .filter((t) => !have.has(t.name))
    .map((t) => `the story's \`# ${t.kind}: ${t.name}\` tag names an asset that does not exist`);
}

function checkName(name: string): void {
  if (!isAssetName(name)) throw new DramaError('bad_request', `"${name}" is not an asset name: letters, digits, ".", "_" and "-", at most 100`, { details: [{ path: 'name', message: 'invalid' }] });
}

function notFound(name: string): DramaError {
  return new DramaError('not_found', `No asset named ${name}`);
}

function toInfo(storyId: string, o: StoredObject): AssetInfo {
  return { name: o.key.slice(prefixOf(storyId).length), size: o.size };
}
