/**
 * The turn's one read: everything it needs before calling a model, in one statement (one round
 * trip, one snapshot). The session row comes back as plain columns (its ink state can be large:
 * no JSON round trip for it); the rest as JSON built by the server.
 * @module
 */
import type { SealedProviderKey, UserSettings } from '../../domain/ports/settings-store.js';
import type { TurnLoad } from '../../domain/ports/turn-store.js';
import type { HistoryEntry, SessionStatus, SessionSteering, StoryView } from '../../domain/types.js';
import type { RawQuery, Statement } from './statement.js';
import { toTurnResult, type TurnResultRow } from './turn-mapping.js';

/** Columns of a committed turn, aliased to the Drizzle row's keys so the same mapper reads them. */
export const TURN_RESULT_JSON_COLUMNS = `session_id AS "sessionId", turn_no AS "turnNo", task_id AS "taskId", input, action, actor_id AS "actorId", response,
   original_response AS "originalResponse", decision, view, timings, usage, trace_id AS "traceId", state, created_at AS "createdAt"`;

// $1 session id, $2 task id, $3 history turns, $4 who acts. Names are a shared session's members'
// (display name, else "player" and the start of their id); the owner's turns carry none. Undone turns only lie past the session's turn, so
// redo_available is one index probe; the summary and memory rows follow the timeline rule of
// memory-origin.ts; the cards' signature changes with any insert, edit or delete. The owner's
// settings and sealed provider keys ride along, so they cost the turn no statement of their own.
const LOAD_TURN: Statement = {
  name: 'md_load_turn_v5',
  text: `
SELECT s.id, s.owner_id, s.story_id, s.story_version, s.ink_state, s.turn_no, s.version, s.status, s.view,
       s.forked_from, s.forked_at_turn, s.steering, s.created_at, s.updated_at,
       (SELECT title FROM stories st WHERE st.id = s.story_id) AS story_title,
       (SELECT coalesce(m.display_name, 'player ' || left(m.user_id, 4)) FROM session_members m WHERE m.session_id = s.id AND m.user_id = $4::text) AS actor_name,
       EXISTS (SELECT 1 FROM turns u WHERE u.session_id = s.id AND u.turn_no = s.turn_no + 1 AND u.state = 'undone') AS redo_available,
       (SELECT to_jsonb(d) FROM (SELECT ${TURN_RESULT_JSON_COLUMNS} FROM turns WHERE task_id = $2::text) AS d) AS committed,
       (SELECT coalesce(jsonb_agg(h ORDER BY h."turnNo"), '[]'::jsonb)
          FROM (SELECT turn_no AS "turnNo", input, action, response, view->>'text' AS "storyText",
                       (SELECT coalesce(m.display_name, 'player ' || left(m.user_id, 4)) FROM session_members m WHERE m.session_id = t.session_id AND m.user_id = t.actor_id) AS "actor"
                  FROM turns t WHERE t.session_id = s.id AND t.state = 'active'
                 ORDER BY t.turn_no DESC LIMIT $3::int) AS h) AS history,
       coalesce(ms.row_count, 0) AS memory_rows, coalesce(ms.revision, 0)::float8 AS memory_revision,
       (SELECT to_jsonb(m) FROM (SELECT text, turn_no AS "turnNo" FROM memories
                                   WHERE session_id = s.id AND kind = 'summary' AND (turn_no <= s.turn_no OR origin <> 'turn')
                                   ORDER BY turn_no DESC, created_at DESC, id COLLATE "C" DESC LIMIT 1) AS m) AS summary,
       (SELECT count(*)::int || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(sum(hashtext(id || updated_at::text)), 0)
          FROM cards c WHERE c.session_id = s.id OR (c.story_id = s.story_id AND c.session_id IS NULL)) AS cards_signature,
       (SELECT to_jsonb(u) FROM (SELECT narrator_model AS "narratorModel", temperature, passage_length AS "passageLength", language
                                   FROM user_settings us WHERE us.user_id = s.owner_id) AS u) AS owner_settings,
       (SELECT coalesce(jsonb_agg(k ORDER BY k.provider), '[]'::jsonb)
          FROM (SELECT provider, sealed, hint, base_url AS "baseUrl", created_at AS "createdAt" FROM provider_keys pk WHERE pk.owner_id = s.owner_id) AS k) AS owner_keys
  FROM (SELECT $1::text AS id) AS k LEFT JOIN sessions s ON s.id = k.id LEFT JOIN memory_stats ms ON ms.session_id = s.id`,
};

interface LoadRow {
  id: string | null;
  owner_id: string;
  story_id: string;
  story_version: string;
  ink_state: string;
  turn_no: number;
  version: number;
  status: SessionStatus;
  view: StoryView;
  forked_from: string | null;
  forked_at_turn: number | null;
  steering: SessionSteering | null;
  created_at: Date;
  updated_at: Date;
  story_title: string | null;
  actor_name: string | null;
  redo_available: boolean;
  committed: TurnResultRow | null;
  history: HistoryEntry[];
  memory_rows: number;
  memory_revision: number;
  summary: { text: string; turnNo: number } | null;
  cards_signature: string | null;
  owner_settings: UserSettings | null;
  owner_keys: (Omit<SealedProviderKey, 'createdAt'> & { createdAt: string })[] | null;
}

/** Run the load (see {@link TurnStore.loadTurn}). */
export async function loadTurn(query: RawQuery, sessionId: string, taskId: string, historyTurns: number, actorId = ''): Promise<TurnLoad> {
  const [row] = await query<LoadRow>(LOAD_TURN, [sessionId, taskId, Math.max(0, historyTurns), actorId]);
  if (!row) throw new Error('the turn load returned no row');
  const committed = row.committed ? toTurnResult(row.committed) : null;
  const signature = row.cards_signature ?? '0::0';
  const memory = { rows: Number(row.memory_rows), revision: Number(row.memory_revision), summary: row.summary, cards: { count: Number(signature.slice(0, signature.indexOf(':'))), signature } };
  if (row.id === null) return { committed, session: null, storyTitle: null, actorName: null, history: [], memory, owner: { settings: null, keys: [] } };
  const owner = { settings: row.owner_settings, keys: (row.owner_keys ?? []).map((k) => ({ ...k, createdAt: new Date(k.createdAt) })) };
  return {
    committed,
    session: {
      id: row.id,
      ownerId: row.owner_id,
      storyId: row.story_id,
      storyVersion: row.story_version,
      inkState: row.ink_state,
      turnNo: row.turn_no,
      version: row.version,
      status: row.status,
      view: row.view,
      forkedFrom: row.forked_from,
      forkedAtTurn: row.forked_at_turn,
      steering: row.steering,
      redoAvailable: row.redo_available,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
    storyTitle: row.story_title,
    actorName: row.actor_name,
    history: row.history,
    memory,
    owner,
  };
}
