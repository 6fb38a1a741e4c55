/**
 * Every web process installs the shipped stories at its start. An unchanged story is not compiled
 * again while the compiler is the same one; an edit, a new compiler, or a row stored before the
 * key was kept compiles once and is keyed for the next start. Counted (compiles), on both databases.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompileOutput, InkFiles, StoryEngine } from '../domain/ports/story-engine.js';
import { storySourceKey } from '../domain/stories.js';
import { InkStoryEngine } from '../engine/ink/ink-story-engine.js';
import { silentLogger } from '../shared/logger.js';
import { describeStore } from '../storage/__fixtures__/store-targets.js';
import { installShippedStories } from './install-shipped-stories.js';

const HARBOUR = '# title: The Harbour\nINCLUDE pier.ink\nThe harbour at dusk.\n-> pier\n';
const PIER = '=== pier ===\nOn the pier.\n* [Wait] -> pier\n* [Leave] -> END\n';
const TOWER = 'The tower.\n-> END\n';

/** The real engine, counting its compiles; `compilerId` as given (a new inkjs, say). */
function countingEngine(compilerId?: string): StoryEngine & { compiles: number } {
  const engine = new InkStoryEngine();
  const counted = {
    compiles: 0,
    compilerId: compilerId ?? engine.compilerId,
    compile: (source: string | InkFiles, opts?: { untrusted?: boolean }): Promise<CompileOutput> => {
      counted.compiles += 1;
      return engine.compile(source, opts);
    },
    open: engine.open.bind(engine),
    cached: engine.cached.bind(engine),
  };
  return counted;
}

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function storiesDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shipped-'));
  made.push(dir);
  await writeFile(join(dir, 'harbour.ink'), HARBOUR);
  await writeFile(join(dir, 'pier.ink'), PIER);
  await writeFile(join(dir, 'tower.ink'), TOWER);
  return dir;
}

describeStore('shipped stories at start', (h) => {
  const install = (engine: StoryEngine, dir: string) => installShippedStories({ engine, store: h().store, logger: silentLogger() }, dir);
  const shipped = async (slug: string) => (await h().store.stories.getStoryBySlug(slug, null))!;
  const versions = async (slug: string) => (await h().store.stories.listVersions((await shipped(slug)).id)).length;
  /** One start's install: how many stories it compiled. */
  const compilesAtStart = async (dir: string, compilerId?: string) => {
    const engine = countingEngine(compilerId);
    await install(engine, dir);
    return engine.compiles;
  };

  it('compiles each story at the first start only; an edit compiles that story once into its next version', async () => {
    const dir = await storiesDir();
    const first = countingEngine();
    expect(await install(first, dir)).toBe(2);
    expect(first.compiles).toBe(2);
    const harbour = await shipped('harbour');
    expect(harbour).toMatchObject({ title: 'The Harbour', sourceKey: expect.stringMatching(/^[0-9a-f]{32}$/) });

    const second = countingEngine();
    expect(await install(second, dir)).toBe(2);
    expect(second.compiles).toBe(0);
    expect(await shipped('harbour')).toEqual(harbour);

    // The included chapter is part of the story's source.
    await writeFile(join(dir, 'pier.ink'), PIER.replace('On the pier.', 'On the wet pier.'));
    expect(await compilesAtStart(dir)).toBe(1);
    const edited = await shipped('harbour');
    expect(edited.currentVersion).not.toBe(harbour.currentVersion);
    expect(await versions('harbour')).toBe(2);

    expect(await compilesAtStart(dir)).toBe(0);
  });

  it('a new compiler, or a row stored before keys were kept, compiles once more and keeps the version', async () => {
    const dir = await storiesDir();
    await install(countingEngine(), dir);
    const before = await shipped('tower');

    expect(await compilesAtStart(dir, 'inkjs@99.0.0/1')).toBe(2);
    const after = await shipped('tower');
    expect(after).toMatchObject({ id: before.id, currentVersion: before.currentVersion, title: before.title });
    expect(after.sourceKey).not.toBe(before.sourceKey);
    expect(await versions('tower')).toBe(1);
    expect(await compilesAtStart(dir, 'inkjs@99.0.0/1')).toBe(0);

    await h().opened.db.execute(sql`UPDATE stories SET source_key = NULL WHERE owner_id IS NULL`);
    expect(await compilesAtStart(dir)).toBe(2);
    expect((await shipped('tower')).currentVersion).toBe(before.currentVersion);
    expect(await compilesAtStart(dir)).toBe(0);
  });

  it('an edit that changes no compiled version (a comment) stores the new source, compiles once, and keeps the version', async () => {
    const dir = await storiesDir();
    await install(countingEngine(), dir);
    const before = await shipped('tower');
    await writeFile(join(dir, 'tower.ink'), `// the last stop\n${TOWER}`);
    expect(await compilesAtStart(dir)).toBe(1);
    const after = await shipped('tower');
    expect(after).toMatchObject({ currentVersion: before.currentVersion, source: `// the last stop\n${TOWER}` });
    expect(await compilesAtStart(dir)).toBe(0);
  });
});

describe('storySourceKey', () => {
  const files = fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 12 }), { minKeys: 1, maxKeys: 4 });

  it('two different sources, or one source under two compilers, never share a key', () => {
    fc.assert(
      fc.property(files, files, fc.boolean(), (a, b, pickFirst) => {
        const main = (f: Record<string, string>) => Object.keys(f).sort()[pickFirst ? 0 : Object.keys(f).length - 1]!;
        const left: InkFiles = { main: main(a), files: a };
        const right: InkFiles = { main: main(b), files: b };
        const same = left.main === right.main && JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        expect(storySourceKey('c', left) === storySourceKey('c', right)).toBe(same);
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(storySourceKey('c', a) === storySourceKey('c', b)).toBe(a === b);
        expect(storySourceKey('c1', a)).not.toBe(storySourceKey('c2', a));
      }),
    );
  });

  it('the order files are listed in does not matter; CJK text hashes as text', () => {
    const one: InkFiles = { main: '故事.ink', files: { '故事.ink': '茶馆里很安静。\n-> END\n', 'b.ink': 'x' } };
    const other: InkFiles = { main: '故事.ink', files: { 'b.ink': 'x', '故事.ink': '茶馆里很安静。\n-> END\n' } };
    expect(storySourceKey('c', one)).toBe(storySourceKey('c', other));
    expect(storySourceKey('c', '茶馆里很安静。')).not.toBe(storySourceKey('c', '茶馆里很安静!'));
  });
});
