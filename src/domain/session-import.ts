/**
 * Checks on an imported session document, before anything is written: its shape (zod), its digest,
 * a whole timeline, and ink states that load in the story version. Every problem found is named in
 * `details` of one `session_import_invalid` (422).
 * @module
 */
import { DramaError } from './errors.js';
import { documentDigest, SessionDocumentSchema, type DocumentTurn, type SessionDocument } from './session-document.js';
import type { StoryRuntime } from './ports/story-engine.js';
import type { TransferTurn } from './ports/transfer-store.js';
import type { ActionKind, Decision, TurnTimings } from './types.js';

export interface Problem {
  path: string;
  message: string;
}

export function importInvalid(message: string, details: Problem[]): DramaError {
  return new DramaError('session_import_invalid', message, { details });
}

/** At most this many problems are listed (a document broken everywhere would list thousands). */
const MAX_PROBLEMS = 50;

/** The document's shape and digest; throws `session_import_invalid` naming what is wrong. */
export function parseSessionDocument(raw: unknown): SessionDocument {
  const parsed = SessionDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, MAX_PROBLEMS).map((i) => ({ path: i.path.join('.') || '(document)', message: i.message }));
    throw importInvalid(`Not a session document this server reads: ${details.map((d) => d.path).join(', ')}`, details);
  }
  const doc = parsed.data;
  if (documentDigest(doc) !== doc.integrity.digest) {
    throw importInvalid('The document does not match its integrity digest: it was damaged or edited', [
      { path: 'integrity.digest', message: 'is not the SHA-256 of the canonical content (see the export format in the README)' },
    ]);
  }
  return doc;
}

/** The active turn at each number; problems when a number has none or several. */
function activeTurns(doc: SessionDocument, problems: Problem[]): Map<number, DocumentTurn> {
  const active = new Map<number, DocumentTurn>();
  const undone = new Set<number>();
  doc.turns.forEach((t, i) => {
    if (t.state === 'active') {
      if (active.has(t.turn_no)) problems.push({ path: `turns.${i}`, message: `a second active turn ${t.turn_no}` });
      if (t.turn_no > doc.session.turn_no) problems.push({ path: `turns.${i}.turn_no`, message: `an active turn past the session's turn ${doc.session.turn_no}` });
      active.set(t.turn_no, t);
    } else if (t.turn_no === 0) {
      problems.push({ path: `turns.${i}.state`, message: 'the opening (turn 0) is always active' });
    } else if (t.state === 'undone') {
      if (t.turn_no <= doc.session.turn_no || undone.has(t.turn_no)) problems.push({ path: `turns.${i}`, message: 'undone turns lie past the session’s turn, one per number' });
      undone.add(t.turn_no);
    }
  });
  for (let n = 0; n <= doc.session.turn_no && problems.length < MAX_PROBLEMS; n += 1) {
    if (!active.has(n)) problems.push({ path: 'turns', message: `no active turn ${n}: turn numbers must run from 0 to session.turn_no` });
  }
  return active;
}

/** Problems with the timeline: turn numbers, the session's place on it, its memories. */
export function timelineProblems(doc: SessionDocument): Problem[] {
  const problems: Problem[] = [];
  const { session } = doc;
  const active = activeTurns(doc, problems);
  const current = active.get(session.turn_no);
  if (current && current.ink_state !== session.ink_state) problems.push({ path: 'session.ink_state', message: `is not the ink state of active turn ${session.turn_no}` });
  if ((session.status === 'ended') !== session.view.ended) problems.push({ path: 'session.status', message: 'must be "ended" exactly when session.view.ended is true' });
  if (session.upgraded_at_turn !== null && session.upgraded_at_turn > session.turn_no) problems.push({ path: 'session.upgraded_at_turn', message: 'is past the session’s turn' });
  const last = Math.max(...doc.turns.map((t) => t.turn_no));
  const summaries = new Set<number>();
  doc.memories.forEach((m, i) => {
    if (m.turn_no > last) problems.push({ path: `memories.${i}.turn_no`, message: `no turn ${m.turn_no} in the document` });
    if (m.kind === 'summary') {
      if (summaries.has(m.turn_no)) problems.push({ path: `memories.${i}`, message: `a second summary at turn ${m.turn_no}` });
      summaries.add(m.turn_no);
    }
  });
  return problems.slice(0, MAX_PROBLEMS);
}

/** Problems with ink states that do not load in the story version (each distinct state tried once). */
export function inkStateProblems(doc: SessionDocument, runtime: StoryRuntime): Problem[] {
  const tried = new Map<string, boolean>();
  const loads = (state: string) => {
    if (!tried.has(state)) {
      try {
        runtime.view(state);
        tried.set(state, true);
      } catch {
        tried.set(state, false);
      }
    }
    return tried.get(state)!;
  };
  const problems: Problem[] = [];
  if (!loads(doc.session.ink_state)) problems.push({ path: 'session.ink_state', message: 'does not load in the story version' });
  doc.turns.forEach((t, i) => {
    if (problems.length < MAX_PROBLEMS && !loads(t.ink_state)) problems.push({ path: `turns.${i}.ink_state`, message: 'does not load in the story version' });
  });
  return problems;
}

/** The document's turns as stored. */
export function toTransferTurns(doc: SessionDocument): TransferTurn[] {
  return doc.turns.map((t) => ({
    turnNo: t.turn_no,
    state: t.state,
    input: t.input,
    action: t.action as ActionKind,
    response: t.response,
    originalResponse: t.original_response ?? null,
    decision: t.decision as Decision,
    view: t.view,
    inkState: t.ink_state,
    timings: t.timings as TurnTimings,
    createdAt: new Date(t.created_at),
  }));
}
