/**
 * Build the export document of a session (format in session-document.ts).
 * @module
 */
import { documentDigest, SESSION_DOCUMENT_FORMAT, SESSION_DOCUMENT_VERSION, type SessionDocument } from './session-document.js';
import type { SessionContents, TransferTurn } from './ports/transfer-store.js';
import type { TranscriptSource } from './transcript.js';
import type { InkFiles, SessionRecord, StoryRecord } from './types.js';

export interface ExportInput {
  session: SessionRecord;
  story: StoryRecord;
  versionNo: number | null;
  contents: SessionContents;
  /** Embed the story's ink source (one file, or all of them). */
  source?: string | InkFiles;
  exportedAt: Date;
}

/** The whole document, its digest computed. */
export function buildSessionDocument(input: ExportInput): SessionDocument {
  const { session, story, contents } = input;
  const content: Omit<SessionDocument, 'integrity' | 'exported_at'> = {
    format: SESSION_DOCUMENT_FORMAT,
    version: SESSION_DOCUMENT_VERSION,
    story: { id: story.id, version: session.storyVersion, version_no: input.versionNo, title: story.title, ...(input.source !== undefined ? { source: input.source } : {}) },
    session: { status: session.status, turn_no: session.turnNo, upgraded_at_turn: session.upgradedAtTurn ?? null, ink_state: session.inkState, view: session.view, ...steeringOf(session) },
    turns: contents.turns.map((t) => ({
      turn_no: t.turnNo,
      state: t.state,
      input: t.input,
      action: t.action,
      response: t.response,
      ...(t.originalResponse !== null ? { original_response: t.originalResponse } : {}),
      decision: t.decision,
      view: t.view,
      ink_state: t.inkState,
      timings: t.timings as SessionDocument['turns'][number]['timings'],
      created_at: t.createdAt.toISOString(),
    })),
    memories: contents.memories.map((m) => ({ turn_no: m.turnNo, kind: m.kind, text: m.text, importance: m.importance, pinned: m.pinned, origin: m.origin })),
    cards: contents.cards.map((c) => ({ name: c.name, keywords: c.keywords, text: c.text, when: c.when ?? null })),
  };
  return { ...content, exported_at: input.exportedAt.toISOString(), integrity: { algorithm: 'sha256', digest: documentDigest(content) } };
}

/** The player's steering, when there is any. */
function steeringOf(session: SessionRecord): { steering?: NonNullable<SessionDocument['session']['steering']> } {
  const s = session.steering;
  if (!s || (!s.authorNote && !s.persona && !s.instructions)) return {};
  return { steering: { ...(s.authorNote ? { author_note: s.authorNote } : {}), ...(s.persona ? { persona: s.persona } : {}), ...(s.instructions ? { instructions: s.instructions } : {}) } };
}

/** What a transcript needs of the active turns, oldest first. */
export function transcriptSources(turns: TransferTurn[]): TranscriptSource[] {
  return turns
    .filter((t) => t.state === 'active')
    .map((t) => ({ turnNo: t.turnNo, action: t.action, input: t.input, response: t.response, choiceIndex: t.decision.choiceIndex, view: t.view }));
}
