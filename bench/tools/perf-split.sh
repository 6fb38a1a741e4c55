#!/usr/bin/env bash
# Where the Node processes' CPU went in a `perf record` (PERF=file bash bench/cluster/run.sh 300),
# by kind of work rather than by function: V8's optimizing compiler, the interpreter's and
# baseline code's inline caches, calls and promises, optimized JavaScript, GC, the kernel…
# The split tells whether a window was spent running our code or V8 warming it up, which no
# single function in a profile shows. Shares are of all samples of processes named `node`.
#   bash bench/tools/perf-split.sh perf.data
set -euo pipefail
data=${1:?usage: perf-split.sh perf.data}
perf report -i "$data" --no-children --comm node --sort dso,sym -g none --stdio 2>/dev/null |
  grep -v '^#' | grep '%' |
  awk '{
    pct = $1; sub("%", "", pct); $1 = ""; s = $0; c = "other"
    if (s ~ /\[k\]/) c = "kernel (syscalls, sockets, scheduling)"
    else if (s ~ /compiler::|Turbofan|TurboFan|Maglev|Typer|Schedul|RegisterAlloc|InstructionSelect|LiveRange|Graph|JSCallReducer|JSInlin|BytecodeGraph|MachineOperator|LoadElimination|Operator/) c = "V8 optimizing compiler (TurboFan)"
    else if (s ~ /Scaveng|Heap::|MarkCompact|Marking|Sweeper|GC|Evacuat|ConcurrentMark|MemoryChunk|Page::|RememberedSet|MinorMC|SlotSet/) c = "garbage collection"
    else if (s ~ /Builtins_.*(IC|Interpreter|Baseline|Bytecode|Call|Construct|Return|Generator|Await|Promise|Resolve)/) c = "interpreter/baseline: inline caches, calls, promises"
    else if (s ~ /Builtins_/) c = "other V8 builtins (strings, arrays, JSON…)"
    else if (s ~ /\[JIT\]|JS:/) c = "optimized and baseline JavaScript"
    else if (s ~ /Parser|Scanner|Preparser|BytecodeGenerator|Compiler::|interpreter::|baseline::|CodeGenerator|Sparkplug/) c = "parsing, bytecode and baseline compiling"
    else if (s ~ /libc|malloc|free|memmove|memcpy|memset|pthread|epoll|__/) c = "libc (malloc, memcpy, epoll)"
    else if (s ~ /Runtime_|v8::internal::/) c = "V8 runtime (other)"
    else if (s ~ /node::|uv_|ares|ssl|crypto|zlib|deflate|inflate|llhttp/) c = "Node native (libuv, zlib, http parser)"
    t[c] += pct; all += pct
  } END { for (k in t) printf "%6.1f%%  %s\n", 100 * t[k] / all, k }' | sort -rn
