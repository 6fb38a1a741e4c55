/**
 * A session with some of everything an export carries: two turns played, the last retried (a
 * replaced take), one undone (waiting for a redo), a player's memory and a session card.
 * @module
 */
import { expect } from 'vitest';
import type { TestApp, User } from './test-app.js';

export async function playedSession(t: TestApp, me: User): Promise<string> {
  const sessionId = await t.newSession(me);
  await t.play(me, sessionId, 'I light the old brass lamp');
  await t.play(me, sessionId, 'I climb the stairs');
  const retry = await me.call('POST', `/api/sessions/${sessionId}/retry`);
  expect(retry.status).toBe(202);
  expect((await t.waitForTask(me, retry.body.task_id)).status).toBe('completed');
  expect((await me.call('POST', `/api/sessions/${sessionId}/undo`)).status).toBe(200);
  expect((await me.call('POST', `/api/sessions/${sessionId}/memories`, { text: 'The keeper hid the logbook.', importance: 7 })).status).toBe(201);
  expect((await me.call('POST', `/api/sessions/${sessionId}/cards`, { name: 'Mara', keywords: ['Mara'], text: "The keeper's daughter." })).status).toBe(201);
  return sessionId;
}
