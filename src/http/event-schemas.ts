/**
 * zod schemas of the session event stream (WebSocket frames and SSE `data:`), registered as the
 * `SessionEvent` OpenAPI component so clients generate their event types from the same document
 * as the REST types. {@link toApiEvent} in wire.ts produces these shapes.
 * @module
 */
import { z } from '@hono/zod-openapi';
import { ActionKindSchema, DecisionSchema, ErrorSchema, SessionSchema, TurnSchema } from './schemas.js';

const TaskErrorSchema = ErrorSchema.shape.error.openapi('TaskError');

/** Fields every event carries. */
const eventBase = {
  id: z.number().int().openapi({ description: 'Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID`' }),
  session_id: z.string(),
  task_id: z.string().openapi({ description: 'The turn task the event belongs to' }),
  turn_no: z.number().int(),
  at: z.string().openapi({ description: 'When the event was published (ISO 8601)' }),
};

const event = <T extends string, S extends z.ZodRawShape>(type: T, name: string, description: string, shape: S) =>
  z.object({ ...eventBase, type: z.literal(type), ...shape }).openapi(name, { description });

export const TurnStartedEventSchema = event('turn.started', 'TurnStartedEvent', 'A worker started the turn (attempt > 1: a retry; narration restarts from empty)', {
  input: z.string(),
  action: ActionKindSchema,
  attempt: z.number().int(),
  user_id: z.string().nullable().openapi({ description: 'Who acted' }),
  display_name: z.string().nullable().openapi({ description: "Their name in a shared session (null for the owner, or in one's own session)" }),
});

export const NarrationDeltaEventSchema = event('narration.delta', 'NarrationDeltaEvent', 'The next piece of the narration, in order', {
  text: z.string(),
});

export const TurnDecisionEventSchema = event('turn.decision', 'TurnDecisionEvent', "The judge's decision, before it is committed", {
  decision: DecisionSchema,
});

export const TurnCompletedEventSchema = event('turn.completed', 'TurnCompletedEvent', 'The turn is committed; `result` is the same body as GET /api/story/status `result`', {
  result: TurnSchema,
});

export const TurnRetryingEventSchema = event('turn.retrying', 'TurnRetryingEvent', 'The attempt failed; another starts after `delay_ms`', {
  error: TaskErrorSchema,
  attempt: z.number().int(),
  delay_ms: z.number(),
});

export const TurnFailedEventSchema = event('turn.failed', 'TurnFailedEvent', 'The turn failed for good; nothing was committed', {
  error: TaskErrorSchema,
});

/** Undo, redo and retry reshape the transcript: clients reload it (`GET /api/sessions/{id}/turns`). */
export const TimelineChangedEventSchema = z
  .object({
    ...eventBase,
    task_id: z.string().nullable().optional().openapi({ description: 'The retry task, for reason `retry`' }),
    type: z.literal('timeline.changed'),
    reason: z.enum(['undo', 'redo', 'retry', 'restore', 'upgrade', 'edit']).openapi({ description: '`restore`: a retry failed or was cancelled, and the turn it replaced is back; `upgrade`: the session moved to a newer version of its story; `edit`: the player edited a passage' }),
    session: SessionSchema.openapi({ description: 'The session after the change (the body of GET /api/sessions/{id})' }),
  })
  .openapi('TimelineChangedEvent', { description: 'The active timeline changed (undo, redo, retry, an edited passage); reload the transcript' });

/** Membership of a shared session; `task_id` is null (no turn). */
const memberBase = { ...eventBase, task_id: z.null() };

export const MemberJoinedEventSchema = z
  .object({ ...memberBase, type: z.literal('member.joined'), user_id: z.string(), role: z.enum(['player', 'spectator']), display_name: z.string().nullable() })
  .openapi('MemberJoinedEvent', { description: 'Someone joined the session by an invite' });

export const MemberLeftEventSchema = z
  .object({ ...memberBase, type: z.literal('member.left'), user_id: z.string() })
  .openapi('MemberLeftEvent', { description: "A member left or was removed; that member's sockets on the session close (4004)" });

const presence = (type: 'member.online' | 'member.offline' | 'member.typing', name: string, description: string) =>
  z.object({ ...memberBase, type: z.literal(type), user_id: z.string() }).openapi(name, { description });

export const MemberRenamedEventSchema = z
  .object({ ...memberBase, type: z.literal('member.renamed'), user_id: z.string(), display_name: z.string() })
  .openapi('MemberRenamedEvent', { description: 'A member changed their name in this session (PATCH …/members/me)' });

export const MemberOnlineEventSchema = presence('member.online', 'MemberOnlineEvent', "Someone's first socket on the session opened");
export const MemberOfflineEventSchema = presence('member.offline', 'MemberOfflineEvent', "Someone's last socket on the session closed");
export const MemberTypingEventSchema = presence('member.typing', 'MemberTypingEvent', 'A player is typing (their client sent {"type":"typing"} over the WebSocket; at most one every 2 s per socket)');

export const TurnQueuedEventSchema = z
  .object({
    ...eventBase,
    type: z.literal('turn.queued'),
    task_id: z.string(),
    position: z.number().int().min(1).openapi({ description: '1-based place in the line: 1 runs when the turn in flight ends' }),
    user_id: z.string(),
    display_name: z.string().nullable(),
    input: z.string(),
    action: ActionKindSchema,
  })
  .openapi('TurnQueuedEvent', { description: "Free mode: a player's action waits for the turn in flight; it becomes its own turn, in arrival order" });

export const RoundNextEventSchema = z
  .object({
    ...memberBase,
    type: z.literal('round.next'),
    user_id: z.string().openapi({ description: 'The player whose turn it is now' }),
    display_name: z.string().nullable(),
    deadline_at: z.string().nullable().openapi({ description: 'When they are skipped if they have not acted (null while a turn runs: their time starts when it ends)' }),
    skipped_user_id: z.string().nullable().openapi({ description: 'Set when the previous player was skipped for not acting within ROUND_TIMEOUT_S' }),
  })
  .openapi('RoundNextEvent', { description: "Round mode: whose turn it is" });

export const VoteCastEventSchema = z
  .object({
    ...eventBase,
    type: z.literal('vote.cast'),
    task_id: z.string(),
    user_id: z.string(),
    display_name: z.string().nullable(),
    votes: z.number().int().min(1).openapi({ description: 'Actions in the open vote so far (one per player; a second replaces the first)' }),
    deadline_at: z.string().openapi({ description: 'When the vote closes, unless every online player has voted before' }),
  })
  .openapi('VoteCastEvent', { description: "Vote mode: a player's action joined the open vote; when it closes, every action becomes one turn" });

export const TurnModeChangedEventSchema = z
  .object({ ...memberBase, type: z.literal('turn_mode.changed'), turn_mode: z.enum(['free', 'round', 'vote']) })
  .openapi('TurnModeChangedEvent', { description: 'The owner changed who acts when; actions still waiting were dropped (each got turn.failed, code cancelled)' });

export const SessionEventSchema = z
  .discriminatedUnion('type', [
    TurnStartedEventSchema,
    NarrationDeltaEventSchema,
    TurnDecisionEventSchema,
    TurnCompletedEventSchema,
    TurnRetryingEventSchema,
    TurnFailedEventSchema,
    TimelineChangedEventSchema,
    MemberJoinedEventSchema,
    MemberLeftEventSchema,
    MemberRenamedEventSchema,
    MemberOnlineEventSchema,
    MemberOfflineEventSchema,
    MemberTypingEventSchema,
    TurnQueuedEventSchema,
    RoundNextEventSchema,
    VoteCastEventSchema,
    TurnModeChangedEventSchema,
  ])
  .openapi('SessionEvent', {
    description:
      'One event of a session, as a WebSocket text frame (WS /ws/story/{session_id}) or an SSE `data:` line (GET /api/sessions/{id}/events, SSE `event:` = `type`, SSE `id:` = `id`).',
  });
