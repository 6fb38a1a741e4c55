import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFile, fileNameProblem, fromStory, guessMain, openFiles, removeFile, renameFile, single, toUpload } from './ink-files.js';

describe('the files of a story in the editor', () => {
  it('guesses the compiled file: main.ink, else the root of the INCLUDEs (folders lost on opening), else the first', () => {
    const file = (name: string, text = '') => ({ name, text });
    expect(guessMain([file('a.ink'), file('main.ink')])).toBe('main.ink');
    expect(guessMain([file('cellar.ink', 'The cellar.'), file('story.ink', 'INCLUDE rooms/cellar.ink\n')])).toBe('story.ink');
    expect(guessMain([file('one.ink'), file('two.ink')])).toBe('one.ink');
    // Including each other: no root, so the first.
    expect(guessMain([file('a.ink', 'INCLUDE b.ink'), file('b.ink', 'INCLUDE a.ink')])).toBe('a.ink');
  });

  it('uploads one file as source and several as files with main', () => {
    expect(toUpload(single('Hello'))).toEqual({ source: 'Hello' });
    const two = addFile(single('INCLUDE ch1.ink', 'main.ink'), { name: 'ch1.ink', text: 'Chapter' });
    expect(toUpload(two)).toEqual({ files: { 'main.ink': 'INCLUDE ch1.ink', 'ch1.ink': 'Chapter' }, main: 'main.ink' });
    expect(fromStory({ source: 'INCLUDE ch1.ink', ...toUpload(two) })).toEqual(two);
  });

  it('keeps main when removing, follows it when renaming, and replaces the untouched starter on opening', () => {
    const two = addFile(single('x'), { name: 'b.ink', text: 'y' });
    expect(removeFile(two, 'main.ink')).toBe(two);
    expect(removeFile(two, 'b.ink').files.map((f) => f.name)).toEqual(['main.ink']);
    expect(renameFile(two, 'main.ink', 'start.ink').main).toBe('start.ink');
    expect(openFiles(single('starter'), [{ name: 'mine.ink', text: 'z' }], true)).toEqual(single('z', 'mine.ink'));
    expect(openFiles(two, [{ name: 'b.ink', text: 'new' }], false).files).toEqual([{ name: 'main.ink', text: 'x' }, { name: 'b.ink', text: 'new' }]);
  });

  it('says why a file name will not do, as the server would refuse it', () => {
    const set = addFile(single('x'), { name: 'ch1.ink', text: '' });
    expect(fileNameProblem('', set)).toBe('empty');
    expect(fileNameProblem('notes.txt', set)).toBe('extension');
    for (const bad of ['../up.ink', '/abs.ink', 'a//b.ink', 'parts/./x.ink', '.hidden.ink']) expect(fileNameProblem(bad, set), bad).toBe('path');
    expect(fileNameProblem('ch1.ink', set)).toBe('taken');
    expect(fileNameProblem('ch1.ink', set, 'ch1.ink')).toBeNull();
    expect(fileNameProblem('parts/第二章.ink', set)).toBeNull();
  });

  it('never accepts a name with a .. part, whatever else it holds', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z.]{0,4}$/), { maxLength: 3 }), fc.array(fc.stringMatching(/^[a-z.]{0,4}$/), { maxLength: 3 }), (before, after) => {
        const name = [...before, '..', ...after, 'end.ink'].join('/');
        return fileNameProblem(name, single('x')) !== null;
      }),
    );
  });
});
