/**
 * One session's embeddings quantized to int8, with a bound on what quantization can cost each
 * row, so a scan of the codes can rule rows out *exactly*: every row whose true cosine could still
 * reach the top k survives it, and the caller re-scores only those in full precision.
 *
 * Quantization (per row r, and the same for the query): s = max|x| / 127, k_i = round(x_i / s),
 * so |x_i − s·k_i| ≤ s/2. With the query q ≈ s_q·j and the row v ≈ s_r·k,
 *   |q·v − s_q·s_r·(j·k)| ≤ s_q·s_r·(Σ|j|/2 + Σ|k|/2 + dims/4),
 * and dividing by ‖q‖·‖v‖ bounds the cosine from below and above.
 *
 * The codes live in a WebAssembly memory scanned by the SIMD kernel in int8-dot.wat; where the
 * runtime has no WebAssembly SIMD, a JS loop does the same arithmetic (~20× slower).
 * @module
 */
import { INT8_DOT_WASM_BASE64 } from './int8-dot-wasm.js';

type DotsFn = (query: number, codes: number, rows: number, dims: number, out: number) => void;

/** The part of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: WasmMemory; dots: DotsFn } };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE = 65_536;
/** Slack for the floating-point arithmetic of the bounds themselves. */
const EPSILON = 1e-9;

const kernelModule: object | null = (() => {
  const bytes = Buffer.from(INT8_DOT_WASM_BASE64, 'base64');
  try {
    return wasmApi?.validate(bytes) ? new wasmApi.Module(bytes) : null;
  } catch {
    return null;
  }
})();

/** Whether the SIMD kernel runs here (false: the JS loop is used). */
export const simdKernelAvailable = kernelModule !== null;

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Min-heap of the `size` largest numbers pushed: its root is the size-th largest. */
class TopNumbers {
  readonly #heap: Float64Array;
  #n = 0;
  constructor(readonly size: number) {
    this.#heap = new Float64Array(size);
  }
  get full(): boolean {
    return this.#n === this.size;
  }
  get min(): number {
    return this.#n === 0 ? -Infinity : this.#heap[0]!;
  }
  push(x: number): void {
    const h = this.#heap;
    if (this.#n < this.size) {
      let i = this.#n++;
      h[i] = x;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p]! <= h[i]!) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
      return;
    }
    if (x <= h[0]!) return;
    h[0] = x;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < this.#n && h[l]! < h[s]!) s = l;
      if (r < this.#n && h[r]! < h[s]!) s = r;
      if (s === i) break;
      [h[s], h[i]] = [h[i]!, h[s]!];
      i = s;
    }
  }
}

export class Int8Codes {
  /** Embedding size the codes are for; rows of another size are not indexed. */
  readonly dims: number;
  readonly #padded: number;
  #capacity = 0;
  #rows = 0;
  /** Per row: s_r / ‖v_r‖ (0: not indexed), and Σ|k|/2 + dims/4 (the row's share of the bound). */
  #factor = new Float64Array(0);
  #slack = new Float64Array(0);
  readonly #wasm: { memory: WasmMemory; dots: DotsFn } | null;
  #jsCodes = new Int8Array(0);
  readonly #queryOffset = 0;
  readonly #codesOffset: number;

  constructor(dims: number, options: { useWasm?: boolean } = {}) {
    this.dims = dims;
    this.#padded = align16(dims);
    this.#codesOffset = align16(this.#padded * 2);
    if ((options.useWasm ?? true) && kernelModule && wasmApi) {
      const { exports } = new wasmApi.Instance(kernelModule);
      this.#wasm = { memory: exports.memory, dots: exports.dots };
    } else {
      this.#wasm = null;
    }
  }

  /** Rows indexed so far (slots 0 … rows−1). */
  get rows(): number {
    return this.#rows;
  }

  /** Memory held, for the cache's byte budget. */
  get bytes(): number {
    return this.#capacity * (this.#padded + 4 + 16) + this.#codesOffset;
  }

  /** Quantize `vector` into `slot` (a new slot is the next one: slots are dense). */
  set(slot: number, vector: Float32Array, norm: number): void {
    if (slot >= this.#capacity) this.#grow(slot + 1);
    if (slot >= this.#rows) this.#rows = slot + 1;
    const codes = this.#codeView(slot);
    codes.fill(0);
    let max = 0;
    if (vector.length === this.dims && norm > 0) for (const x of vector) max = Math.max(max, Math.abs(x));
    if (max === 0 || !Number.isFinite(max)) {
      this.#factor[slot] = 0;
      return;
    }
    const scale = max / 127;
    let l1 = 0;
    for (let i = 0; i < this.dims; i += 1) {
      const k = Math.round(vector[i]! / scale);
      codes[i] = k;
      l1 += Math.abs(k);
    }
    this.#factor[slot] = scale / norm;
    this.#slack[slot] = l1 / 2 + this.dims / 4;
  }

  /** Whether `slot` holds a usable code (right size, non-zero vector). */
  indexed(slot: number): boolean {
    return slot < this.#rows && this.#factor[slot]! > 0;
  }

  /**
   * Lower and upper bounds of every row's cosine to `query` (already rounded to float32, with
   * norm `queryNorm`). Rows that are not indexed get −∞ for both. `shortlist` computes the same
   * on the fly; this spells them out, for checking.
   */
  bounds(query: Float64Array, queryNorm: number): { lower: Float64Array; upper: Float64Array } {
    const rows = this.#rows;
    const lower = new Float64Array(rows).fill(-Infinity);
    const upper = new Float64Array(rows).fill(-Infinity);
    const scan = this.#scan(query, queryNorm);
    if (!scan) return { lower, upper };
    const { dots, a, half } = scan;
    for (let r = 0; r < rows; r += 1) {
      const f = this.#factor[r]!;
      if (f === 0) continue;
      const s = a * f;
      lower[r] = s * (dots[r]! - half - this.#slack[r]!) - EPSILON;
      upper[r] = s * (dots[r]! + half + this.#slack[r]!) + EPSILON;
    }
    return { lower, upper };
  }

  /**
   * The rows that may be among the `k` most similar to `query` of those `eligible` accepts: every
   * row whose upper bound reaches the k-th best lower bound. The bounds are computed on the fly
   * (the same arithmetic as `bounds`) rather than stored: at 100k rows that saves writing and
   * re-reading 1.6 MB per search.
   */
  shortlist(query: Float64Array, queryNorm: number, k: number, eligible: (slot: number) => boolean): number[] {
    const scan = this.#scan(query, queryNorm);
    if (!scan || k <= 0) return [];
    const { dots, a, half } = scan;
    const rows = this.#rows;
    const factor = this.#factor;
    const slack = this.#slack;
    const best = new TopNumbers(k);
    let floor = -Infinity; // the k-th best lower bound so far, once there are k
    for (let r = 0; r < rows; r += 1) {
      const f = factor[r]!;
      if (f === 0) continue;
      const lower = a * f * (dots[r]! - half - slack[r]!) - EPSILON;
      if (lower <= floor || !eligible(r)) continue;
      best.push(lower);
      if (best.full) floor = best.min;
    }
    const out: number[] = [];
    for (let r = 0; r < rows; r += 1) {
      const f = factor[r]!;
      if (f !== 0 && a * f * (dots[r]! + half + slack[r]!) + EPSILON >= floor) out.push(r);
    }
    return out;
  }

  /** The quantized query's integer dot product with every row, and the factors of the bounds. */
  #scan(query: Float64Array, queryNorm: number): { dots: Int32Array; a: number; half: number } | null {
    let max = 0;
    for (const x of query) max = Math.max(max, Math.abs(x));
    if (max === 0 || queryNorm === 0) return null;
    const scale = max / 127;
    const q = new Int16Array(this.#padded);
    let l1 = 0;
    for (let i = 0; i < this.dims; i += 1) {
      q[i] = Math.round(query[i]! / scale);
      l1 += Math.abs(q[i]!);
    }
    return { dots: this.#dots(q), a: scale / queryNorm, half: l1 / 2 };
  }

  #dots(q: Int16Array): Int32Array {
    const rows = this.#rows;
    if (this.#wasm) {
      const { memory, dots } = this.#wasm;
      new Int16Array(memory.buffer, this.#queryOffset, this.#padded).set(q);
      const outOffset = this.#codesOffset + this.#capacity * this.#padded;
      dots(this.#queryOffset, this.#codesOffset, rows, this.#padded, outOffset);
      return new Int32Array(memory.buffer, outOffset, rows);
    }
    const out = new Int32Array(rows);
    const codes = this.#jsCodes;
    const d = this.#padded;
    for (let r = 0, o = 0; r < rows; r += 1, o += d) {
      let sum = 0;
      for (let i = 0; i < d; i += 1) sum += q[i]! * codes[o + i]!;
      out[r] = sum;
    }
    return out;
  }

  #codeView(slot: number): Int8Array {
    const offset = slot * this.#padded;
    if (this.#wasm) return new Int8Array(this.#wasm.memory.buffer, this.#codesOffset + offset, this.#padded);
    return this.#jsCodes.subarray(offset, offset + this.#padded);
  }

  #grow(minCapacity: number): void {
    const capacity = Math.max(minCapacity, this.#capacity * 2, 64);
    if (this.#wasm) {
      // Codes stay where they are; the scratch area for the results moves to the new end.
      const needed = this.#codesOffset + capacity * this.#padded + capacity * 4;
      const have = this.#wasm.memory.buffer.byteLength;
      if (needed > have) this.#wasm.memory.grow(Math.ceil((needed - have) / PAGE));
    } else {
      const codes = new Int8Array(capacity * this.#padded);
      codes.set(this.#jsCodes);
      this.#jsCodes = codes;
    }
    const factor = new Float64Array(capacity);
    factor.set(this.#factor);
    const slack = new Float64Array(capacity);
    slack.set(this.#slack);
    this.#factor = factor;
    this.#slack = slack;
    this.#capacity = capacity;
  }
}
