import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInkOnDisk, storyRoots } from './ink-on-disk.js';

describe('ink stories on disk', () => {
  it('a folder of stories: a file another one INCLUDEs is a chapter, not a story, and comes with its story', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stories-'));
    await mkdir(join(dir, 'parts'));
    await writeFile(join(dir, 'harbour.ink'), 'INCLUDE chapter.ink\nINCLUDE parts/cellar.ink\n-> chapter\n');
    await writeFile(join(dir, 'chapter.ink'), '=== chapter ===\nThe quay.\n-> cellar\n');
    await writeFile(join(dir, 'parts', 'cellar.ink'), '=== cellar ===\nDark.\n-> END\n');
    await writeFile(join(dir, 'lighthouse.ink'), 'The lamp.\n-> END\n');
    expect(await storyRoots(dir, ['chapter.ink', 'harbour.ink', 'lighthouse.ink'])).toEqual(['harbour.ink', 'lighthouse.ink']);
    expect(await readInkOnDisk(join(dir, 'harbour.ink'))).toEqual({
      main: 'harbour.ink',
      files: { 'harbour.ink': expect.any(String), 'chapter.ink': expect.any(String), 'parts/cellar.ink': '=== cellar ===\nDark.\n-> END\n' },
    });
    expect(await readInkOnDisk(join(dir, 'lighthouse.ink'))).toBe('The lamp.\n-> END\n');
  });
});
