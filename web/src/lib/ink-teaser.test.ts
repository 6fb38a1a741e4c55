import { describe, expect, it } from 'vitest';
import { inkTeaser } from './ink-teaser.js';

describe('inkTeaser', () => {
  it('takes the opening prose and skips tags, comments, declarations and choices', () => {
    const source = `# title: T\n// a comment\n/* block\ncomment */\nVAR x = 1\n-> start\n=== start ===\n# scene: hall\nA cold hall. # mood: grim\nThe lamp is out.\n* [Light it] -> lamp\n=== lamp ===\nNever shown.`;
    expect(inkTeaser(source)).toBe('A cold hall.\nThe lamp is out.');
  });

  it('keeps whole lines, and cuts only a first line that is too long by itself', () => {
    expect(inkTeaser('One line here.\nA second, much longer line that will not fit.', 30)).toBe('One line here.');
    expect(inkTeaser(`${'word '.repeat(200)}`, 20)).toMatch(/…$/);
  });
});
