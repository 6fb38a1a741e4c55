import { describe, expect, it } from 'vitest';
import { canonicalJson } from './session-document.js';
import { buildTranscript, transcriptMarkdown, type TranscriptSource } from './transcript.js';
import type { StoryView } from './types.js';

const view = (text: string, choices: string[], ended = false): StoryView => ({ text, tags: text ? ['scene: pier'] : [], choices: choices.map((c, index) => ({ index, text: c })), ended, variables: {} });

const turns: TranscriptSource[] = [
  { turnNo: 0, action: 'continue', input: '', response: '', choiceIndex: null, view: view('The pier.', ['Wait', 'Go to the tower']) },
  { turnNo: 1, action: 'say', input: 'Hello?', response: 'Nobody answers.', choiceIndex: null, view: view('', ['Wait', 'Go to the tower']) },
  { turnNo: 2, action: 'do', input: 'I walk to the tower', response: 'You walk.', choiceIndex: 1, view: view('The tower.', [], true) },
];

describe('transcript', () => {
  it('names the choice each turn took among those the turn before offered (a turn without a choice keeps them)', () => {
    const t = buildTranscript('Harbour', turns);
    expect(t.ended).toBe(true);
    expect(t.turns.map((x) => x.choice_taken)).toEqual([null, null, { index: 1, text: 'Go to the tower' }]);
    expect(t.turns[1]!.choices_offered.map((c) => c.text)).toEqual(['Wait', 'Go to the tower']);
  });

  it('reads as Markdown: a heading per turn, inputs quoted, the end marked', () => {
    const md = transcriptMarkdown(buildTranscript('Harbour', turns));
    expect(md).toBe(
      '# Harbour\n\n## Opening\n\nThe pier.\n\nTags: `scene: pier`\n\n## Turn 1\n\n> **say:** Hello?\n\nNobody answers.\n\n## Turn 2\n\n> **do:** I walk to the tower\n\n*Choice: Go to the tower*\n\nYou walk.\n\nThe tower.\n\nTags: `scene: pier`\n\n*The End.*\n',
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: 'x', u: undefined })).toBe('{"a":"x","b":[{"c":2,"d":1}]}');
  });
});
