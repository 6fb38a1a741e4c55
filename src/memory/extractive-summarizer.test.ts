import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../domain/types.js';
import { createExtractiveSummarizer, keepNewest, turnGist } from './extractive-summarizer.js';
import { summaryDue } from './summary-policy.js';

const turn = (turnNo: number, input: string, response: string): HistoryEntry => ({ turnNo, input, action: 'do', response, storyText: '' });

describe('extractive summarizer', () => {
  it('keeps what the player did and the first sentence of the narration', () => {
    expect(turnGist(turn(1, 'light the lamp', 'The wick catches. Shadows leap up the walls.'))).toBe('light the lamp — The wick catches.');
    expect(turnGist(turn(2, '点亮油灯', '灯芯燃起来了。影子爬上墙壁。'))).toBe('点亮油灯——灯芯燃起来了。');
  });

  it('rolls: extends the previous summary and keeps the newest sentences within the budget', async () => {
    const s = createExtractiveSummarizer();
    const turns = Array.from({ length: 50 }, (_, i) => turn(i + 1, `step ${i + 1}`, `Something happened at step ${i + 1}. More detail.`));
    const text = await s.summarize({ previous: 'It began in the rain.', turns, maxChars: 300 });
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text).toContain('step 50');
    expect(text).not.toContain('It began');
    expect(await s.summarize({ previous: 'It began in the rain.', turns: turns.slice(0, 1), maxChars: 300 })).toBe('It began in the rain. step 1 — Something happened at step 1.');
    expect(keepNewest('一。二。三。', 4)).toBe('二。三。');
  });
});

describe('summary policy', () => {
  it('folds the turns older than the history window every N turns, once', () => {
    expect(summaryDue(19, 20, 6, 0)).toBeNull();
    expect(summaryDue(20, 20, 6, 0)).toEqual({ from: 0, through: 14 });
    expect(summaryDue(40, 20, 6, 14)).toEqual({ from: 14, through: 34 });
    expect(summaryDue(40, 20, 6, 34)).toBeNull(); // already folded
    expect(summaryDue(20, 0, 6, 0)).toBeNull();
  });
});
