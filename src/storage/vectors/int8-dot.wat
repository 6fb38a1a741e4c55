;; The inner loop of the in-process memory search: integer dot products of one int8-quantized
;; query with every int8-quantized memory of a session, four lanes at a time (WebAssembly SIMD).
;; The quantization error is bounded, and the caller re-scores the candidates it cannot rule out
;; exactly, so this kernel only has to be fast: 100k × 256-d memories in ~1.4 ms on this machine,
;; against ~24 ms for an unrolled Float32Array loop in JS.
;;
;; Build: `npm run wasm:build` (wabt) writes int8-dot-wasm.ts; a test checks it matches this file.
(module
  (memory (export "memory") 1)
  ;; dots(query, codes, rows, dims, out)
  ;;   query: `dims` i16 values (the int8 query widened once, so the loop widens only the rows)
  ;;   codes: `rows` rows of `dims` i8 values, row after row
  ;;   out:   `rows` i32 results
  ;; `dims` is a multiple of 16 (callers pad with zeros); every pointer is 16-byte aligned.
  (func (export "dots") (param $query i32) (param $codes i32) (param $rows i32) (param $dims i32) (param $out i32)
    (local $outEnd i32) (local $q i32) (local $rowEnd i32) (local $acc v128) (local $v v128)
    (local.set $outEnd (i32.add (local.get $out) (i32.shl (local.get $rows) (i32.const 2))))
    (block $done
      (loop $eachRow
        (br_if $done (i32.ge_u (local.get $out) (local.get $outEnd)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (local.set $rowEnd (i32.add (local.get $codes) (local.get $dims)))
        (block $rowDone
          (loop $each16
            (br_if $rowDone (i32.ge_u (local.get $codes) (local.get $rowEnd)))
            (local.set $v (v128.load (local.get $codes)))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.add
                (i32x4.dot_i16x8_s (v128.load (local.get $q)) (i16x8.extend_low_i8x16_s (local.get $v)))
                (i32x4.dot_i16x8_s (v128.load offset=16 (local.get $q)) (i16x8.extend_high_i8x16_s (local.get $v))))))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $codes (i32.add (local.get $codes) (i32.const 16)))
            (br $each16)))
        (i32.store (local.get $out)
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $eachRow)))))
