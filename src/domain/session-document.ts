/**
 * The session export format (`mock-drama.session`, version 1): what GET /api/sessions/:id/export
 * writes and POST /api/sessions/import reads. It holds no ids of ours except the story's: turns,
 * memories and cards are identified by their place, so export → import → export gives the same
 * document apart from `exported_at` (and the story id when the import installed the embedded
 * source as a new story).
 *
 * Integrity: `integrity.digest` is the SHA-256 of the canonical JSON (keys sorted, no spaces) of
 * the document without `exported_at` and `integrity`. It catches a truncated or damaged file and
 * an edit made without recomputing it; it is not a signature: a player may edit their own export
 * and recompute the digest. Whatever the digest says, an import also checks that the timeline is
 * whole and that every ink state loads in the story version (session-import.ts).
 *
 * Memories and cards carry their text, not their vectors: an import embeds them again with the
 * server's embedder, so an edited text never keeps a stale vector and a document moves between
 * servers with different embedding models.
 * @module
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MEMORY_INPUT_LIMITS } from './memory-service.js';
import { ACTION_KINDS, MEMORY_KINDS } from './types.js';

export const SESSION_DOCUMENT_FORMAT = 'mock-drama.session';
export const SESSION_DOCUMENT_VERSION = 1;

/** Text PostgreSQL can store: no NUL, no lone surrogate (both would fail the insert). */
const str = (max = 1_000_000) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000') && s.isWellFormed(), 'must not contain NUL characters or lone surrogates');
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const TURN_NO = int(0, 1_000_000);

const ChoiceSchema = z.object({ index: int(0, 10_000), text: str(), tags: z.array(str()).optional() });
const ViewSchema = z.object({
  text: str(),
  tags: z.array(str()),
  choices: z.array(ChoiceSchema),
  ended: z.boolean(),
  variables: z.record(str(400), z.union([str(), z.number(), z.boolean()])),
  position: str(400).optional(),
});
const DecisionSchema = z.object({
  choiceIndex: int(0, 10_000).nullable(),
  variableUpdates: z.array(z.object({ name: str(400), value: z.union([str(), z.number(), z.boolean()]) })),
  memories: z.array(z.object({ text: str(), importance: z.number() })),
  summary: str(),
});
const TimingsSchema = z.object({ load: z.number(), narrate: z.number(), judge: z.number(), apply: z.number(), embed: z.number(), commit: z.number(), total: z.number() }).catchall(z.number());

const TurnSchema = z.object({
  turn_no: TURN_NO,
  state: z.enum(['active', 'undone', 'replaced', 'discarded']),
  input: str(),
  action: z.enum(ACTION_KINDS as [string, ...string[]]),
  response: str(),
  original_response: str().optional(),
  decision: DecisionSchema,
  view: ViewSchema,
  ink_state: str(),
  timings: TimingsSchema,
  created_at: z.iso.datetime({ offset: true }),
});

const MemorySchema = z.object({
  turn_no: TURN_NO,
  kind: z.enum(MEMORY_KINDS as [string, ...string[]]),
  text: str(20_000).min(1),
  importance: int(1, 10),
  pinned: z.boolean(),
  origin: z.enum(['turn', 'player']),
});

const CardSchema = z.object({
  name: str(MEMORY_INPUT_LIMITS.cardName).min(1),
  keywords: z.array(str(MEMORY_INPUT_LIMITS.keyword)).max(MEMORY_INPUT_LIMITS.keywords),
  text: str(MEMORY_INPUT_LIMITS.cardText).min(1),
  when: str(2000).nullable(),
});

const InkFilesSchema = z.object({ main: str(300), files: z.record(str(300), str()) });

/** The document, as zod checks its shape (consistency is checked after: session-import.ts). */
export const SessionDocumentSchema = z.object({
  format: z.literal(SESSION_DOCUMENT_FORMAT),
  version: z.literal(SESSION_DOCUMENT_VERSION),
  exported_at: z.string().optional(),
  story: z.object({
    id: str(100),
    version: str(200),
    version_no: int(0, 1_000_000).nullable(),
    title: str(1000),
    source: z.union([str(), InkFilesSchema]).optional(),
  }),
  session: z.object({
    status: z.enum(['active', 'ended']),
    turn_no: TURN_NO,
    upgraded_at_turn: TURN_NO.nullable(),
    ink_state: str(),
    view: ViewSchema,
    steering: z
      .object({ author_note: str(2000).optional(), persona: z.object({ name: str(2000), description: str(2000) }).optional(), instructions: str(2000).optional() })
      .optional(),
  }),
  turns: z.array(TurnSchema).min(1),
  memories: z.array(MemorySchema).max(100_000),
  cards: z.array(CardSchema).max(MEMORY_INPUT_LIMITS.cardsPerScope),
  integrity: z.object({ algorithm: z.literal('sha256'), digest: z.string().regex(/^[0-9a-f]{64}$/) }),
});

export type SessionDocument = z.infer<typeof SessionDocumentSchema>;
export type DocumentTurn = SessionDocument['turns'][number];

/** JSON with object keys sorted at every depth and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The SHA-256 (hex) a document's `integrity.digest` must hold. */
export function documentDigest(doc: Omit<SessionDocument, 'integrity' | 'exported_at'> & { integrity?: unknown; exported_at?: unknown }): string {
  const { integrity: _i, exported_at: _e, ...content } = doc;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
