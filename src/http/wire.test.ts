/**
 * Every bus event, as clients receive it, matches the `SessionEvent` schema published in the
 * OpenAPI document: the same keys (none missing, none extra) and the fields every event carries
 * first. Clients generate their event types from that schema, so an event that drifts from it
 * breaks them silently.
 */
import { describe, expect, it } from 'vitest';
import type { SessionSnapshot, TurnEvent, TurnEventBody } from '../domain/ports/event-bus.js';
import type { TurnResult } from '../domain/types.js';
import { SessionEventSchema } from './event-schemas.js';
import { apiEventJson, toApiEvent } from './wire.js';

const view = { text: 'The vault door is shut.', tags: ['image: door.png'], choices: [{ index: 0, text: 'Pick the lock', tags: [] }], ended: false, variables: { gold: 3 } };
const decision = { choiceIndex: 0, variableUpdates: [{ name: 'gold', value: 4 }], memories: [{ text: 'The door creaks.', importance: 3, kind: 'event' as const }], summary: 'picked the lock' };

const result: TurnResult = {
  sessionId: 's1',
  turnNo: 2,
  taskId: 't1',
  input: 'I pick the lock',
  action: 'do',
  response: 'The lock gives.',
  decision,
  updated_state: view,
  timings: { load: 1, narrate: 2, judge: 3, apply: 1, embed: 0, commit: 1, total: 8 },
  createdAt: '2026-12-05T19:00:00.000Z',
};

const session: SessionSnapshot = {
  id: 's1',
  ownerId: 'u1',
  storyId: 'st1',
  storyVersion: 'v1',
  turnNo: 2,
  version: 3,
  status: 'active',
  view,
  createdAt: '2026-12-05T18:00:00.000Z',
  updatedAt: '2026-12-05T19:00:00.000Z',
};

const error = { code: 'model_error', message: 'the narrator failed' };

/** One body of every event type (the record's keys make a new type a compile error here). */
const bodies: { [T in TurnEventBody['type']]: TurnEventBody & { type: T } } = {
  'turn.started': { type: 'turn.started', input: 'I pick the lock', action: 'do', attempt: 1, userId: 'u1', displayName: null },
  'narration.delta': { type: 'narration.delta', text: '锁开了。' },
  'turn.decision': { type: 'turn.decision', decision },
  'turn.completed': { type: 'turn.completed', result },
  'turn.retrying': { type: 'turn.retrying', error, attempt: 1, delayMs: 500 },
  'turn.failed': { type: 'turn.failed', error },
  'timeline.changed': { type: 'timeline.changed', reason: 'undo', session },
  'member.joined': { type: 'member.joined', userId: 'u2', role: 'player', displayName: 'Ada' },
  'member.left': { type: 'member.left', userId: 'u2' },
  'member.renamed': { type: 'member.renamed', userId: 'u2', displayName: 'Ada L.' },
  'member.online': { type: 'member.online', userId: 'u2' },
  'member.offline': { type: 'member.offline', userId: 'u2' },
  'member.typing': { type: 'member.typing', userId: 'u2' },
  'turn.queued': { type: 'turn.queued', position: 1, userId: 'u2', displayName: 'Ada', input: 'I wait', action: 'do' },
  'round.next': { type: 'round.next', userId: 'u2', displayName: 'Ada', deadlineAt: '2026-12-05T19:01:00.000Z', skippedUserId: null },
  'vote.cast': { type: 'vote.cast', userId: 'u2', displayName: 'Ada', votes: 2, deadlineAt: '2026-12-05T19:01:00.000Z' },
  'turn_mode.changed': { type: 'turn_mode.changed', turnMode: 'round' },
};

/** Membership, presence and turn-order events belong to no turn task. */
const taskless = new Set(['member.joined', 'member.left', 'member.renamed', 'member.online', 'member.offline', 'member.typing', 'round.next', 'turn_mode.changed']);

const eventOf = (body: TurnEventBody, id: number): TurnEvent =>
  ({ ...body, sessionId: 's1', taskId: taskless.has(body.type) ? null : 't1', turnNo: 2, id, at: '2026-12-05T19:00:00.000Z' }) as TurnEvent;

/** The keys of an object schema of the union (zod v4 keeps them on `shape`). */
function schemaKeys(type: string): string[] {
  const option = SessionEventSchema.options.find((o) => (o.shape.type as unknown as { value: string }).value === type);
  if (!option) throw new Error(`no schema for ${type}`);
  return Object.keys(option.shape);
}

describe('wire events', () => {
  it.each(Object.values(bodies).map((b, i) => [b.type, b, i + 1] as const))('%s matches its published schema, key for key', (_type, body, id) => {
    const event = eventOf(body, id);
    const sent = JSON.parse(apiEventJson(event)) as Record<string, unknown>;
    expect(SessionEventSchema.safeParse(sent).error?.issues ?? []).toEqual([]);
    expect(Object.keys(sent).sort()).toEqual(schemaKeys(body.type).sort());
    expect(Object.keys(sent).slice(0, 6)).toEqual(['id', 'type', 'session_id', 'task_id', 'turn_no', 'at']);
    expect(sent.id).toBe(id);
  });

  it('serializes an event once for all its watchers, and each event on its own', () => {
    const a = eventOf(bodies['narration.delta'], 1);
    const b = eventOf({ type: 'narration.delta', text: 'more' }, 2);
    expect(apiEventJson(a)).toBe(apiEventJson(a));
    expect(JSON.parse(apiEventJson(b))).toEqual(toApiEvent(b));
    expect(JSON.parse(apiEventJson(b)).text).toBe('more');
  });
});
