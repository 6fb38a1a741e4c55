/**
 * The running code's version, recorded with every turn for replay: the package version, and the
 * git commit when the code runs from a checkout (read from .git, no process spawned).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function gitCommit(root: string): string | null {
  const head = read(join(root, '.git', 'HEAD'));
  if (!head) return null;
  if (!head.startsWith('ref: ')) return head.slice(0, 12);
  const ref = head.slice(5);
  // A worktree's .git is a file pointing elsewhere: the package version alone then.
  const commit = existsSync(join(root, '.git', ref)) ? read(join(root, '.git', ref)) : null;
  return commit ? commit.slice(0, 12) : null;
}

function codeVersion(): string {
  const root = new URL('../..', import.meta.url).pathname;
  const pkg = JSON.parse(read(join(root, 'package.json')) ?? '{}') as { name?: string; version?: string };
  const commit = gitCommit(root);
  return `${pkg.name ?? 'mock-drama'}@${pkg.version ?? '0.0.0'}${commit ? `+${commit}` : ''}`;
}

export const CODE_VERSION = codeVersion();

/**
 * What this process runs: the compiled build in dist/ (`mock-drama build`), or the TypeScript
 * sources through tsx (a checkout without a build, or with one older than an edit).
 */
export const CODE_ORIGIN: 'dist' | 'sources' = import.meta.url.endsWith('.ts') ? 'sources' : 'dist';
