import { it } from 'vitest';
import { createTestApp } from './http/routes/__fixtures__/test-app.js';
it('dbg', async () => {
  const t = await createTestApp({});
  const owner = await t.guest();
  const sessionId = await t.newSession(owner);
  const res = await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player' });
  console.log('BODY', JSON.stringify(res.body));
  await t.close();
});
