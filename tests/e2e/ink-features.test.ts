/**
 * Every ink story runs, through the HTTP API on both databases: EXTERNAL functions with ink
 * fallbacks (and a clear refusal without), stories of several files joined by INCLUDE (errors
 * name the file and line), line and choice tags beside the text, and the rest of ink's feature set
 * (LISTs, threads, tunnels) as authors write it.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInkOnDisk } from '../../src/runtime/ink-on-disk.js';
import { compileInk } from '../../src/engine/ink/compile-ink.js';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api } from '../support/clients.js';
import { dbTargets } from '../support/test-env.js';
import { signUserToken } from '../support/user-tokens.js';

const SECRET = 'ink-features-secret-ink-features-secret-01';

const EXTERNALS = `EXTERNAL roll(sides)
EXTERNAL greet(name)
The die shows {roll(6)}. {greet("Ada")}
* [Again] -> END

=== function roll(sides) ===
~ return sides

=== function greet(name) ===
Hello, {name}!
`;

const MAIN = `# title: The Two Rooms
INCLUDE hall.ink
INCLUDE parts/cellar.ink
You stand at the door. #speaker: narrator #mood: calm
* [Enter the hall #sound: creak] -> hall
* [Go down #sound: steps] -> cellar
`;
const HALL = `=== hall ===
The hall is cold.
-> END
`;
const CELLAR = `=== cellar ===
The cellar smells of apples. #image: cellar.webp
-> END
`;

/** LISTs, a thread and a tunnel, as ink's own documentation writes them. */
const FEATURES = `LIST doors = (front), back, side
VAR visited = 0
-> start
=== start ===
Doors open: {doors}.
-> courtyard ->
<- chatter
* [Leave] -> END
=== courtyard ===
~ visited++
A courtyard (visit {visited}).
->->
=== chatter ===
* [Listen to the gulls] The gulls argue. -> END
`;

describe.each(dbTargets())('ink features through the API [$name]', (target) => {
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  const upload = (body: Record<string, unknown>) => call('POST', '/api/stories', { title: 'A story', ...body });
  const play = async (storyId: string) => {
    const res = await call('POST', '/api/sessions', { story_id: storyId });
    expect(res.status).toBe(201);
    return res.body as { session_id: string; opening: { text: string; tags: string[]; choices: { index: number; text: string; tags: string[] }[] } };
  };

  beforeAll(async () => {
    server = await startServer(target.env({ JWT_SECRET: SECRET, STORIES_DIR: 'tests/fixtures' }), silentLogger());
    call = api(server.url, (await signUserToken(SECRET)).token);
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await target.cleanup();
  });

  it('EXTERNAL functions with ink fallbacks upload and run the fallbacks', async () => {
    const story = await upload({ source: EXTERNALS });
    expect(story.status).toBe(201);
    expect((await play(story.body.id)).opening.text).toContain('The die shows 6. Hello, Ada!');
  });

  it('an EXTERNAL the story calls without a fallback is refused with each function and its line', async () => {
    const res = await upload({ source: 'VAR x = 1\nEXTERNAL roll(sides)\nEXTERNAL unused()\nEXTERNAL chime()\nRolled {roll(6)}. {chime()}\n* [Go] -> END\n' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ink_unbound_external');
    expect(res.body.error.details).toEqual([
      { function: 'roll', line: 2 },
      { function: 'chime', line: 4 },
    ]);
    const multi = await upload({ files: { 'main.ink': 'INCLUDE lib.ink\nHi {beep()}\n* [Go] -> END\n', 'lib.ink': '// sounds\nEXTERNAL beep()\n' }, main: 'main.ink' });
    expect(multi.status).toBe(422);
    expect(multi.body.error.details).toEqual([{ function: 'beep', file: 'lib.ink', line: 2 }]);
  });

  it('a story of several files: INCLUDE joins them, it plays across them, and they come back as uploaded', async () => {
    const files = { 'main.ink': MAIN, 'hall.ink': HALL, 'parts/cellar.ink': CELLAR };
    const story = await upload({ files, main: 'main.ink' });
    expect(story.status).toBe(201);
    const got = await call('GET', `/api/stories/${story.body.id}`);
    expect(got.body).toMatchObject({ title: 'A story', main: 'main.ink', files, source: MAIN });

    const session = await play(story.body.id);
    // Tags beside the passage and beside each choice.
    expect(session.opening.tags).toEqual(['speaker: narrator', 'mood: calm']);
    expect(session.opening.choices).toEqual([
      { index: 0, text: 'Enter the hall', tags: ['sound: creak'] },
      { index: 1, text: 'Go down', tags: ['sound: steps'] },
    ]);
    expect((await call('GET', `/api/sessions/${session.session_id}`)).body.choices[1]).toEqual({ index: 1, text: 'Go down', tags: ['sound: steps'] });
  });

  it('errors in a story of several files name the file and line; a missing INCLUDE names where it is asked for', async () => {
    const broken = await upload({ files: { 'main.ink': 'INCLUDE ch1.ink\n-> ch1\n', 'ch1.ink': '=== ch1 ===\nChapter one {oops\n* [Go] -> END\n' }, main: 'main.ink' });
    expect(broken.status).toBe(422);
    expect(broken.body.error.code).toBe('ink_compile_error');
    expect(broken.body.error.details[0]).toMatchObject({ file: 'ch1.ink', line: 2 });
    const missing = await upload({ files: { 'main.ink': 'Start\nINCLUDE nowhere.ink\n* [Go] -> END\n' } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0]).toMatchObject({ file: 'main.ink', line: 2 });
    expect(missing.body.error.details[0].message).toContain('nowhere.ink');
  });

  it('refuses files that could not be a story, and a body with both or neither of source and files', async () => {
    const refused = async (body: Record<string, unknown>, path: string) => {
      const res = await upload(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.error.details)).toContain(path);
    };
    await refused({ files: { '../escape.ink': 'x', 'main.ink': 'Hi\n-> END\n' } }, 'files.../escape.ink');
    await refused({ files: { '/abs.ink': 'x' }, main: '/abs.ink' }, 'files./abs.ink');
    await refused({ files: { 'notes.txt': 'x', 'main.ink': 'Hi\n-> END\n' } }, 'files.notes.txt');
    await refused({ files: { 'a.ink': 'Hi\n-> END\n', 'b.ink': 'Ho\n-> END\n' } }, 'main');
    await refused({ files: { 'main.ink': 'Hi\n-> END\n' }, main: 'other.ink' }, 'main');
    await refused({ source: 'Hi\n-> END\n', files: { 'main.ink': 'Hi\n-> END\n' } }, 'source');
    await refused({}, 'source');
  });

  it("LISTs, threads and tunnels run as ink's documentation writes them", async () => {
    const story = await upload({ source: FEATURES });
    expect(story.status).toBe(201);
    const { opening } = await play(story.body.id);
    expect(opening.text).toContain('Doors open: front.');
    expect(opening.text).toContain('A courtyard (visit 1).');
    expect(opening.choices.map((c) => c.text)).toEqual(['Listen to the gulls', 'Leave']);
  });
});

describe('mock-drama stories compile follows INCLUDE on disk', () => {
  it('reads the included files relative to the main file and compiles them as one story', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ink-include-'));
    await mkdir(join(dir, 'parts'));
    await writeFile(join(dir, 'main.ink'), MAIN);
    await writeFile(join(dir, 'hall.ink'), HALL);
    await writeFile(join(dir, 'parts', 'cellar.ink'), CELLAR);
    const source = await readInkOnDisk(join(dir, 'main.ink'));
    expect(source).toEqual({ main: 'main.ink', files: { 'main.ink': MAIN, 'hall.ink': HALL, 'parts/cellar.ink': CELLAR } });
    const out = compileInk(source);
    expect(out.ok && out.title).toBe('The Two Rooms');
    await writeFile(join(dir, 'single.ink'), 'Just one file.\n-> END\n');
    expect(await readInkOnDisk(join(dir, 'single.ink'))).toBe('Just one file.\n-> END\n');
  });
});
