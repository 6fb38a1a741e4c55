/**
 * Export and import of whole sessions (format: session-document.ts; checks: session-import.ts).
 * An import checks everything before it writes anything, then writes the session with its turns,
 * memories and cards in one transaction. When the document brings the story's source instead of
 * naming a story the caller can see, that source is installed as a private story of the caller's
 * just before (the only write outside that transaction; its compile was checked first).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { cardEmbeddingText } from './card-text.js';
import { DramaError, isDramaError } from './errors.js';
import { loadStoryRuntime } from './load-story.js';
import { embeddingSpace } from './ports/embedder.js';
import type { StoryRuntime } from './ports/story-engine.js';
import type { ImportedSession } from './ports/transfer-store.js';
import type { SessionAccess } from './session-access.js';
import type { SessionDocument } from './session-document.js';
import { buildSessionDocument, transcriptSources } from './session-export.js';
import { importInvalid, inkStateProblems, parseSessionDocument, timelineProblems, toTransferTurns } from './session-import.js';
import type { InstallStoryInput } from './stories.js';
import { assertPlayable } from './story-access.js';
import { buildTranscript, transcriptMarkdown } from './transcript.js';
import { applySteering } from './steering.js';
import type { InkFiles, SessionRecord, SessionSteering, StoryRecord } from './types.js';
import { chunked } from '../shared/chunked.js';

/** Where an import binds: a story the caller sees, or the embedded source still to be installed. */
type Binding = { story: StoryRecord; runtime: StoryRuntime } | { install: InstallStoryInput; runtime: StoryRuntime };

const EMBED_BATCH = 64;

export class TransferService {
  constructor(
    private readonly service: SessionAccess,
    /** Install a story with the caller's story quota checked (DramaService.installStory). */
    private readonly installStory: (input: InstallStoryInput) => Promise<StoryRecord>,
  ) {}

  get #deps() {
    return this.service.deps;
  }

  /** The caller's session as a document; `includeSource` embeds the ink source of the version it plays. */
  async exportSession(ownerId: string, sessionId: string, opts: { includeSource?: boolean } = {}): Promise<SessionDocument> {
    const session = await this.service.getSession(ownerId, sessionId);
    const story = opts.includeSource ? await this.service.getVisibleStory(ownerId, session.storyId) : await this.service.getStory(session.storyId);
    let source: string | InkFiles | undefined;
    if (opts.includeSource) {
      // Only the current version's source is kept: an older version's cannot be embedded.
      if (story.currentVersion !== session.storyVersion) throw new DramaError('bad_request', 'The session plays an older version of the story, whose source is not kept; upgrade the session or export without the source');
      source = story.sourceFiles ?? story.source;
    }
    const [version, contents] = await Promise.all([this.#deps.store.stories.getVersion(story.id, session.storyVersion), this.#deps.store.transfer.contents(session.id)]);
    return buildSessionDocument({ session, story, versionNo: version?.versionNo ?? null, contents, ...(source !== undefined ? { source } : {}), exportedAt: new Date(this.#deps.clock.now()) });
  }

  /** The caller's session as a Markdown transcript (the active timeline). */
  async exportMarkdown(ownerId: string, sessionId: string): Promise<{ title: string; markdown: string }> {
    const session = await this.service.getSession(ownerId, sessionId);
    const [story, contents] = await Promise.all([this.service.getStory(session.storyId), this.#deps.store.transfer.contents(session.id)]);
    return { title: story.title, markdown: transcriptMarkdown(buildTranscript(story.title, transcriptSources(contents.turns))) };
  }

  /** A new session of the caller's from a document; `session_import_invalid` (nothing written) when it does not hold. */
  async importSession(ownerId: string, raw: unknown): Promise<SessionRecord> {
    const doc = parseSessionDocument(raw);
    const timeline = timelineProblems(doc);
    if (timeline.length > 0) throw importInvalid('The document’s timeline is not whole', timeline);
    const binding = await this.#bind(ownerId, doc);
    const ink = inkStateProblems(doc, binding.runtime);
    if (ink.length > 0) throw importInvalid('The document’s ink states do not load in the story version', ink);
    await this.service.checkSessionQuota(ownerId);
    const embedded = await this.#embedAll(doc);
    const story = 'story' in binding ? binding.story : await this.installStory(binding.install);
    const id = randomUUID();
    const session: ImportedSession = {
      id,
      ownerId,
      storyId: story.id,
      storyVersion: doc.story.version,
      status: doc.session.status,
      turnNo: doc.session.turn_no,
      inkState: doc.session.ink_state,
      view: doc.session.view,
      upgradedAtTurn: doc.session.upgraded_at_turn,
      steering: steeringFrom(doc.session.steering),
      turns: toTransferTurns(doc),
      ...embedded,
    };
    await this.#deps.store.transfer.create(session);
    return this.service.getSession(ownerId, id);
  }

  /** The story the caller sees with the document's version, else the embedded source compiled to that version. */
  async #bind(ownerId: string, doc: SessionDocument): Promise<Binding> {
    const { id, version, source, title } = doc.story;
    // As for a new session: a story the caller cannot see does not count, a hidden one refuses (403).
    const visible = await this.service
      .getStory(id)
      .then((story) => (assertPlayable(story, { userId: ownerId }), story))
      .catch((err: unknown) => {
        if (isDramaError(err) && err.code === 'story_not_found') return null;
        throw err;
      });
    if (visible && (await this.#deps.store.stories.getVersion(visible.id, version))) return { story: visible, runtime: await loadStoryRuntime(this.#deps, visible.id, version) };
    if (source === undefined) {
      throw importInvalid('The story is not one you can see (or lacks this version), and the document embeds no source', [
        { path: 'story.id', message: 'not a story you can see with version story.version; export with ?include=source to carry it' },
      ]);
    }
    const compiled = await this.#deps.engine.compile(source, { untrusted: true });
    if (!compiled.ok) throw importInvalid('The embedded story source does not compile', [{ path: 'story.source', message: `${compiled.errors.length} compile error(s)` }]);
    if (compiled.hash !== version) throw importInvalid('The embedded story source is not the story version the session played', [{ path: 'story.source', message: 'compiles to another version than story.version' }]);
    const runtime = this.#deps.engine.open({ storyId: `import:${version}`, hash: version, compiledJson: compiled.compiledJson, writableVariables: compiled.writableVariables });
    return { install: { source, slug: `import-${version.slice(0, 16)}`, title, ownerId, visibility: 'private' }, runtime };
  }

  /** Memories and cards with vectors from this server's embedder (the document carries text only). */
  async #embedAll(doc: SessionDocument): Promise<Pick<ImportedSession, 'memories' | 'cards'>> {
    const embedder = this.#deps.embedder;
    const embeddingModel = embeddingSpace(embedder);
    const texts = [...doc.memories.map((m) => m.text), ...doc.cards.map((c) => cardEmbeddingText(c))];
    const vectors: number[][] = [];
    for (const batch of chunked(texts, EMBED_BATCH)) vectors.push(...(await embedder.embed(batch)));
    const memories = doc.memories.map((m, i) => ({ turnNo: m.turn_no, kind: m.kind, text: m.text, importance: m.importance, pinned: m.pinned, origin: m.origin, embedding: vectors[i] ?? [], embeddingModel }));
    const cards = doc.cards.map((c, i) => ({ name: c.name, keywords: c.keywords, text: c.text, when: c.when, embedding: vectors[doc.memories.length + i] ?? [], embeddingModel }));
    return { memories, cards } as Pick<ImportedSession, 'memories' | 'cards'>;
  }
}

/** The document's steering as the session keeps it (checked as PATCH /api/sessions/:id checks it). */
function steeringFrom(s: SessionDocument['session']['steering']): SessionSteering | null {
  if (!s) return null;
  return applySteering(null, { authorNote: s.author_note ?? null, persona: s.persona ?? null, instructions: s.instructions ?? null });
}
