/**
 * Lorebooks over real HTTP, on PGlite and on the PostgreSQL server: a PNG character card uploaded
 * as a browser uploads a file (a multipart form), its entries stored as cards, and in the next turn
 * the always-on description and the keyword entry the player mentions reach the narrator, while
 * an entry nobody mentioned does not. The export gives the cards back as World Info.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterPng } from '../../src/memory/lorebook/__fixtures__/png.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { dbTargets, eventually } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';

const STORY = `VAR trust = 0
-> yard
=== yard ===
The keeper watches you from the lamp room.
* [Talk to him] He shrugs. -> yard
* [Leave] -> END
`;

const CARD = {
  spec: 'chara_card_v2',
  spec_version: '2.0',
  data: {
    name: 'Cutter Hale',
    description: '{{char}} is the lighthouse keeper, gruff and salt-bitten.',
    personality: '',
    scenario: '',
    first_mes: 'What do you want?',
    mes_example: '',
    character_book: {
      extensions: {},
      entries: [
        { keys: ['logbook'], content: 'The logbook is hidden under the third step.', extensions: {}, enabled: true, insertion_order: 100, name: 'Logbook', id: 0 },
        { keys: ['lantern'], content: 'The spare lantern has no wick.', extensions: {}, enabled: true, insertion_order: 50, name: 'Lantern', id: 1 },
      ],
    },
  },
};

describe.each(dbTargets())('lorebook import on $name', (target) => {
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let token: string;
  let storyId: string;

  beforeAll(async () => {
    server = await startServer(target.env({ JWT_SECRET: SECRET, STORIES_DIR: 'tests/fixtures' }), silentLogger());
    token = (await signUserToken(SECRET)).token;
    call = api(server.url, token);
    const story = await call('POST', '/api/stories', { title: 'Keeper', source: STORY });
    expect(story.status).toBe(201);
    storyId = story.body.id;
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await target.cleanup();
  });

  it('a PNG character card uploaded as a form becomes cards that reach the narrator in a played turn', async () => {
    const form = new FormData();
    form.append('file', new Blob([characterPng(CARD)], { type: 'image/png' }), 'cutter-hale.png');
    const res = await fetch(`${server.url}/api/stories/${storyId}/cards/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { format: string; imported: { name: string }[]; skipped: { source: string }[] };
    expect(report.format).toBe('sillytavern_character_v2');
    expect(report.imported.map((c) => c.name)).toEqual(['Cutter Hale', 'Logbook', 'Lantern']);
    expect(report.skipped).toEqual([expect.objectContaining({ source: 'data.first_mes' })]);

    const sessionId = (await call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
    const accepted = await call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I ask him where the logbook is' });
    expect(accepted.status).toBe(202);
    const status = await eventually(async () => {
      const s = (await call('GET', `/api/story/status/${accepted.body.task_id}`)).body;
      return s.status === 'completed' || s.status === 'failed' ? s : undefined;
    }, 20_000, 'the turn');
    expect(status.status).toBe('completed');
    const { trace } = (await call('GET', `/api/sessions/${sessionId}/turns/${status.result.turn_no}/trace`)).body;
    expect((trace.recall?.cards ?? []).map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['Cutter Hale', 'Logbook']));
    const narratorSaw = JSON.stringify(trace.narrator);
    expect(narratorSaw).toContain('Cutter Hale is the lighthouse keeper');
    expect(narratorSaw).toContain('under the third step');
    expect(narratorSaw).not.toContain('no wick');
  });

  it('the export gives the cards back as SillyTavern World Info', async () => {
    const res = await fetch(`${server.url}/api/stories/${storyId}/cards/export?format=sillytavern`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+-lorebook\.json"$/);
    const { entries } = (await res.json()) as { entries: Record<string, { comment: string; constant: boolean; key: string[] }> };
    expect(Object.values(entries).map((e) => [e.comment, e.constant, e.key])).toEqual([
      ['Cutter Hale', true, []],
      ['Logbook', false, ['logbook']],
      ['Lantern', false, ['lantern']],
    ]);
  });
});
