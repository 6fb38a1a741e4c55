import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemoryOrigin } from '../../domain/ports/memory-store.js';
import { rankByCosine } from '../repos/cosine.js';
import { isOnTimeline } from '../repos/memory-origin.js';
import { simdKernelAvailable } from './int8-codes.js';
import { SessionIndex, type CachedMemory, type SearchFilter } from './session-index.js';

interface Spec {
  vector: number[];
  turnNo: number;
  model: string | null;
  origin: MemoryOrigin;
  pinned: boolean;
}

function cached(spec: Spec, i: number): CachedMemory {
  const vector = Float32Array.from(spec.vector);
  let sq = 0;
  for (const x of vector) sq += x * x;
  return {
    id: `m${String(i).padStart(4, '0')}`,
    sessionId: '',
    turnNo: spec.turnNo,
    kind: 'event',
    text: `memory ${i}`,
    importance: 5,
    pinned: spec.pinned,
    embeddingModel: spec.model,
    origin: spec.origin,
    vector,
    sumSq: sq,
    norm: Math.sqrt(sq),
    updatedAtMs: 0,
  };
}

function build(specs: Spec[], options: { useWasm?: boolean; indexMinRows?: number }): SessionIndex {
  const index = new SessionIndex(options);
  specs.forEach((s, i) => index.upsert(cached(s, i)));
  return index;
}

/** Rows near a few shared directions, some nearly identical: where int8 bounds are tightest. */
function sessionArb(dims: number) {
  const coord = fc.float({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true });
  return fc
    .record({
      centers: fc.array(fc.array(coord, { minLength: dims, maxLength: dims }), { minLength: 1, maxLength: 4 }),
      rows: fc.array(
        fc.record({
          center: fc.nat(),
          noise: fc.constantFrom(0, 1e-6, 1e-3, 0.1, 1),
          jitter: fc.array(coord, { minLength: dims, maxLength: dims }),
          turnNo: fc.integer({ min: 0, max: 30 }),
          model: fc.constantFrom<string | null>('a', 'a', 'b', null),
          origin: fc.constantFrom<MemoryOrigin>('turn', 'player'),
          pinned: fc.boolean(),
          odd: fc.constantFrom('none', 'none', 'none', 'none', 'zero', 'short'),
        }),
        { minLength: 1, maxLength: 120 },
      ),
    })
    .map(({ centers, rows }) =>
      rows.map((r): Spec => {
        const c = centers[r.center % centers.length]!;
        let vector = c.map((x, i) => x + r.noise * r.jitter[i]!);
        if (r.odd === 'zero') vector = vector.map(() => 0);
        if (r.odd === 'short') vector = vector.slice(0, dims - 1);
        return { vector, turnNo: r.turnNo, model: r.model, origin: r.origin, pinned: r.pinned };
      }),
    );
}

const filterArb = fc.record({
  model: fc.constantFrom<string | undefined>(undefined, 'a', 'b'),
  timelineTurn: fc.constantFrom<number | undefined>(undefined, 0, 10, 25),
});

/** What the search must return: the eligible rows ranked exactly, as the database paths do. */
function reference(specs: Spec[], query: number[], limit: number, filter: SearchFilter): string[] {
  const rows = specs
    .map((s, i) => ({ ...cached(s, i), embedding: s.vector.map(Math.fround) }))
    .filter((m) => (filter.model === undefined || m.embeddingModel === null || m.embeddingModel === filter.model) && isOnTimeline(m, filter.timelineTurn));
  return rankByCosine(query, rows, limit).map((m) => m.id);
}

describe('SessionIndex', () => {
  it('the int8 index (WebAssembly and JS) returns exactly what a full scan returns (property)', () => {
    expect(simdKernelAvailable).toBe(true);
    // 20 dimensions: not a multiple of 16, so the kernel's zero padding is exercised too.
    const dims = 20;
    fc.assert(
      fc.property(sessionArb(dims), fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: dims, maxLength: dims }), fc.integer({ min: 1, max: 15 }), fc.boolean(), filterArb, (specs, q, k, nearRow, filter) => {
        // Half the queries sit on a stored row's direction, where many scores are close.
        const query = nearRow ? specs[0]!.vector.slice(0, dims).concat(Array(Math.max(0, dims - specs[0]!.vector.length)).fill(0.5)) : q;
        const plain = build(specs, { indexMinRows: Number.POSITIVE_INFINITY }).search('s', query, k, filter);
        const wasm = build(specs, { indexMinRows: 1, useWasm: true }).search('s', query, k, filter);
        const js = build(specs, { indexMinRows: 1, useWasm: false }).search('s', query, k, filter);
        expect(wasm).toEqual(plain);
        expect(js).toEqual(plain);
        expect(plain.map((h) => h.id)).toEqual(reference(specs, query, k, filter));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the index current through edits and appends after it is built', () => {
    const axis = (i: number) => Array.from({ length: 32 }, (_, j) => (j === i ? 1 : 0.01));
    const specs: Spec[] = Array.from({ length: 40 }, (_, i) => ({ vector: axis(i % 32), turnNo: i, model: null, origin: 'player', pinned: false }));
    const index = build(specs, { indexMinRows: 8 });
    expect(index.search('s', axis(3), 1)[0]!.id).toBe('m0035');
    // Move m0001 onto axis 3: an edit in place must reach the codes.
    index.upsert(cached({ ...specs[1]!, vector: axis(3).map((x) => x * 2), turnNo: 99 }, 1));
    expect(index.search('s', axis(3), 1)[0]!.id).toBe('m0001');
    // Rows appended past the index's first capacity are searched too.
    for (let i = 40; i < 200; i += 1) index.upsert(cached({ vector: axis(7), turnNo: i, model: null, origin: 'player', pinned: false }, i));
    expect(index.search('s', axis(7), 3).map((h) => h.id)).toEqual(['m0199', 'm0198', 'm0197']);
    expect(index.size).toBe(200);
  });

  it('lists pinned memories on the timeline with their similarity, null for another model', () => {
    const specs: Spec[] = [
      { vector: [1, 0, 0], turnNo: 1, model: 'a', origin: 'player', pinned: true },
      { vector: [0, 1, 0], turnNo: 5, model: 'b', origin: 'player', pinned: true },
      { vector: [1, 1, 0], turnNo: 9, model: 'a', origin: 'turn', pinned: true },
      { vector: [1, 0, 0], turnNo: 2, model: 'a', origin: 'player', pinned: false },
    ];
    const pinned = build(specs, {}).pinned('s', [1, 0, 0], { model: 'a', timelineTurn: 8 });
    expect(pinned.map((p) => [p.id, p.similarity])).toEqual([
      ['m0000', 1],
      ['m0001', null],
    ]);
  });
});

describe('Int8Codes', () => {
  it('bounds every row’s cosine from below and above (property)', async () => {
    const { Int8Codes } = await import('./int8-codes.js');
    const dims = 40;
    const vec = fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: dims, maxLength: dims });
    fc.assert(
      fc.property(fc.array(vec, { minLength: 1, maxLength: 30 }), vec, fc.boolean(), (rows, query, useWasm) => {
        const codes = new Int8Codes(dims, { useWasm });
        const norms = rows.map((r) => Math.hypot(...r.map(Math.fround)));
        rows.forEach((r, i) => codes.set(i, Float32Array.from(r), norms[i]!));
        const q = Float64Array.from(query, Math.fround);
        const qNorm = Math.hypot(...q);
        const { lower, upper } = codes.bounds(q, qNorm);
        rows.forEach((r, i) => {
          if (norms[i] === 0 || qNorm === 0) return expect(upper[i]).toBe(-Infinity);
          let dot = 0;
          for (let j = 0; j < dims; j += 1) dot += q[j]! * Math.fround(r[j]!);
          const exact = dot / (qNorm * norms[i]!);
          expect(lower[i]).toBeLessThanOrEqual(exact);
          expect(upper[i]).toBeGreaterThanOrEqual(exact);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('Int8Codes.shortlist', () => {
  it('is exactly the rows whose upper bound reaches the k-th best lower bound among eligible rows (property)', async () => {
    const { Int8Codes } = await import('./int8-codes.js');
    const dims = 24;
    const vec = fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: dims, maxLength: dims });
    fc.assert(
      fc.property(fc.array(fc.tuple(vec, fc.boolean()), { minLength: 1, maxLength: 60 }), vec, fc.integer({ min: 1, max: 8 }), (rows, query, k) => {
        const codes = new Int8Codes(dims);
        rows.forEach(([r], i) => codes.set(i, Float32Array.from(r), Math.hypot(...r.map(Math.fround))));
        const q = Float64Array.from(query, Math.fround);
        const qNorm = Math.hypot(...q);
        const eligible = (slot: number) => rows[slot]![1];
        const { lower, upper } = codes.bounds(q, qNorm);
        const lowers = rows.map((_, i) => i).filter((i) => eligible(i) && lower[i]! > -Infinity).map((i) => lower[i]!).sort((a, b) => b - a);
        const floor = lowers.length >= k ? lowers[k - 1]! : -Infinity;
        const want = rows.map((_, i) => i).filter((i) => upper[i]! > -Infinity && upper[i]! >= floor);
        expect(codes.shortlist(q, qNorm, k, eligible)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
