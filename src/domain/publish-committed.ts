/**
 * Publishing an event about something already committed (a join, a move of the round, someone
 * coming online): a bus failure is logged, never thrown, because the state is in the database and
 * clients see it on their next read.
 * @module
 */
import type { EventBus, TurnEventBody } from './ports/event-bus.js';
import type { Logger } from '../shared/log.js';

export async function publishCommitted(
  deps: { bus: Pick<EventBus, 'publish'>; logger: Logger },
  sessionId: string,
  body: TurnEventBody,
  at: { taskId: string | null; turnNo: number } = { taskId: null, turnNo: 0 },
): Promise<void> {
  try {
    await deps.bus.publish({ ...body, sessionId, ...at });
  } catch (err) {
    deps.logger.warn({ err, sessionId, type: body.type }, 'event was not published');
  }
}
