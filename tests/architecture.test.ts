/**
 * The shape of the code, checked: the layers' import arrows (dependency-cruiser, type imports
 * included), file and function sizes (the TypeScript parser), and copy-paste (jscpd).
 * See README.md, "Layout", for the folders and what each may import.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

/** Source files tracked or new (not ignored), by glob-free prefix and extension. */
function sourceFiles(prefix: string): string[] {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', prefix], { encoding: 'utf8' });
  return out.split('\n').filter((f) => /\.(ts|tsx|mts)$/.test(f));
}

const folderOf = (path: string) => /^src\/([^/]+)\//.exec(path)?.[1] ?? null;

describe('import arrows', () => {
  let graph: ICruiseResult;
  beforeAll(async () => {
    const result = await cruise(['src'], {
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      // Tests and contract suites may reach across folders to assemble what they test.
      exclude: { path: '\\.test\\.ts$|\\.contract(-kit)?\\.ts$|__fixtures__' },
      tsConfig: { fileName: 'tsconfig.json' },
    });
    graph = result.output as ICruiseResult;
  }, 60_000);

  it('no folder of src/ depends on a folder that depends on it', () => {
    const edges = new Map<string, Set<string>>();
    const why = new Map<string, string>();
    for (const m of graph.modules) {
      const from = folderOf(m.source);
      for (const d of m.dependencies) {
        const to = folderOf(d.resolved);
        if (!from || !to || from === to) continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
        why.set(`${from}->${to}`, `${m.source} imports ${d.resolved}`);
      }
    }
    const cycles: string[] = [];
    // Any cycle among folders passes through an edge a→b with b reaching a.
    const reaches = (start: string, goal: string, seen = new Set<string>()): boolean => {
      if (start === goal) return true;
      seen.add(start);
      return [...(edges.get(start) ?? [])].some((next) => !seen.has(next) && reaches(next, goal, seen));
    };
    for (const [from, tos] of edges) for (const to of tos) if (reaches(to, from)) cycles.push(`${from} → ${to} (${why.get(`${from}->${to}`)})`);
    expect(cycles).toEqual([]);
  });

  it('no module is part of an import cycle', () => {
    const circular = graph.modules.flatMap((m) => m.dependencies.filter((d) => d.circular).map((d) => `${m.source} → ${d.resolved}`));
    expect(circular).toEqual([]);
  });

  it('domain/ imports only domain/, shared/, node built-ins and two pure libraries (zod, lru-cache)', () => {
    const outside = graph.modules
      .filter((m) => m.source.startsWith('src/domain/'))
      .flatMap((m) => m.dependencies.map((d) => ({ from: m.source, to: d.resolved, core: d.coreModule })))
      .filter(({ to, core }) => !core && !to.startsWith('src/domain/') && !to.startsWith('src/shared/') && !/^node_modules\/(zod|lru-cache)\//.test(to))
      .map(({ from, to }) => `${from} → ${to}`);
    expect(outside).toEqual([]);
  });
});

describe('sizes', () => {
  it('no file in src/ is over 300 lines', () => {
    const long = sourceFiles('src')
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 300)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });

  it('no function in src/ is over 80 lines of its own (functions written inside it count for themselves)', () => {
    const long: string[] = [];
    for (const file of sourceFiles('src')) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const lines = new Set<number>();
          for (let l = lineOf(node.getStart(sf)); l <= lineOf(node.end); l += 1) lines.add(l);
          const dropInner = (inner: ts.Node): void => {
            if (ts.isFunctionLike(inner) && 'body' in inner && inner.body) {
              for (let l = lineOf(inner.body.getStart(sf)) + 1; l < lineOf(inner.body.end); l += 1) lines.delete(l);
              return;
            }
            ts.forEachChild(inner, dropInner);
          };
          ts.forEachChild(node, dropInner);
          if (lines.size > 80) long.push(`${file}:${lineOf(node.getStart(sf)) + 1} ${lines.size} lines`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(long).toEqual([]);
  });
});

describe('copy-paste', () => {
  it('jscpd finds no repeated block in src/ or web/src (Drizzle column lists and migrations are boilerplate)', () => {
    const out = execFileSync(
      'npx',
      ['jscpd', 'src', 'web/src', '--format', 'typescript,tsx,javascript,css', '--min-tokens', '50', '--ignore', '**/*.test.ts,**/__fixtures__/**,**/migrations/**,src/storage/schema/**', '--reporters', 'console', '--exit-code', '0'],
      { encoding: 'utf8' },
    );
    const found = /Found (\d+) clones/.exec(out)?.[1];
    expect(Number(found ?? 0), out).toBe(0);
  }, 120_000);
});
