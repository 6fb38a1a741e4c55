import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHits, rankByCosine } from './cosine.js';

const vec = (n: number) => fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });

const candidates = (n: number) =>
  fc.array(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      turnNo: fc.integer({ min: 0, max: 5 }),
      embedding: fc.oneof({ arbitrary: vec(n), weight: 5 }, { arbitrary: vec(n + 1), weight: 1 }),
    }),
    { maxLength: 30 },
  );

describe('rankByCosine (portable memory search)', () => {
  it('equals brute force: every usable candidate scored, sorted by score, newer turn, id; cut at limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(vec(n), candidates(n), fc.integer({ min: 0, max: 40 }))),
        ([query, cands, limit]) => {
          const got = rankByCosine(query, cands, limit);
          // Independent brute force: score every same-size, non-zero candidate, full sort, cut.
          const q = query.map(Math.fround);
          const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
          const brute = cands
            .filter((c) => c.embedding.length === q.length && norm(c.embedding) > 0 && norm(q) > 0)
            .map((c) => {
              const dot = c.embedding.reduce((s, x, i) => s + x * q[i]!, 0);
              const na = c.embedding.reduce((s, x) => s + x * x, 0);
              const nb = q.reduce((s, x) => s + x * x, 0);
              return { ...c, score: Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))) };
            })
            .sort((a, b) => b.score - a.score || b.turnNo - a.turnNo || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .slice(0, limit);
          expect(got).toEqual(brute);
          for (let i = 1; i < got.length; i += 1) expect(compareHits(got[i - 1]!, got[i]!)).toBeLessThanOrEqual(0);
          for (const hit of got) {
            expect(hit.score).toBeGreaterThanOrEqual(-1);
            expect(hit.score).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scores a vector against itself as 1 and its opposite as -1, and skips zero vectors', () => {
    fc.assert(
      fc.property(vec(6), (v) => {
        fc.pre(v.some((x) => x !== 0));
        const hits = rankByCosine(v, [
          { id: 'same', turnNo: 0, embedding: v },
          { id: 'opposite', turnNo: 0, embedding: v.map((x) => -x) },
          { id: 'zero', turnNo: 0, embedding: v.map(() => 0) },
        ], 5);
        expect(hits.map((h) => h.id)).toEqual(['same', 'opposite']);
        expect(hits[0]!.score).toBeCloseTo(1, 6);
        expect(hits[1]!.score).toBeCloseTo(-1, 6);
      }),
    );
  });
});
