/**
 * Undo, redo, retry (as it was or edited) and fork (`POST /api/sessions/{id}/undo|redo|retry|fork`),
 * editing a passage (`PATCH /api/sessions/{id}/turns/{n}`), and stopping the running turn
 * (`POST /api/sessions/{id}/cancel`).
 * @module
 */
import { unwrap, type ActionKind } from '../../../sdk/index.js';
import { call, drama } from '../lib/api.js';

const at = (id: string) => ({ params: { path: { id } } });

export const timeControls = {
  undo: (sessionId: string) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/undo', at(sessionId)))),
  redo: (sessionId: string) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/redo', at(sessionId)))),
  retry: (sessionId: string, edit?: { user_input: string; action: ActionKind }) =>
    call(() => unwrap(drama.api.POST('/api/sessions/{id}/retry', { ...at(sessionId), ...(edit ? { body: edit } : {}) }))),
  editNarration: (sessionId: string, turnNo: number, narration: string) =>
    call(() => unwrap(drama.api.PATCH('/api/sessions/{id}/turns/{n}', { params: { path: { id: sessionId, n: turnNo } }, body: { narration } }))),
  cancel: (sessionId: string) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/cancel', at(sessionId)))),
  fork: (sessionId: string, turnNo: number) => call(() => unwrap(drama.api.POST('/api/sessions/{id}/fork', { ...at(sessionId), body: { turn_no: turnNo } }))),
};
