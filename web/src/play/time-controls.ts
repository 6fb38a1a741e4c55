/**
 * Undo, redo, retry and fork (`POST /api/sessions/{id}/undo|redo|retry|fork`), and stopping the
 * running turn (`POST /api/sessions/{id}/cancel`).
 * @module
 */
import { unwrap } from '../../../sdk/index.js';
import { call, drama } from '../lib/api.js';

const at = (id: string) => ({ params: { path: { id } } });

export const timeControls = {
  undo: (sessionId: string) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/undo', at(sessionId)))),
  redo: (sessionId: string) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/redo', at(sessionId)))),
  retry: (sessionId: string) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/retry', at(sessionId)))),
  cancel: (sessionId: string) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/cancel', at(sessionId)))),
  fork: (sessionId: string, turnNo: number) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/fork', { ...at(sessionId), body: { turn_no: turnNo } }))),
};
