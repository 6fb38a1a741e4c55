// Plain ESM with its types beside it (installed-package.d.mts): the database thread's module
// (storage/pglite-template.mjs), which bin/ loads before any TypeScript loader, uses it as well as
// the TypeScript code.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/** Installed packages do not change while a process runs: each is looked up once. */
const found = new Map();

/**
 * An installed package's folder and version, from its own package.json, which a package's
 * `exports` seldom name: the nearest one above its entry point that bears the package's name.
 */
export function installedPackage(name) {
  let pkg = found.get(name);
  if (!pkg) {
    pkg = { dir: null, version: 'unknown' };
    for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const read = JSON.parse(readFileSync(manifest, 'utf8'));
      if (read.name !== name) continue;
      pkg = { dir, version: String(read.version) };
      break;
    }
    found.set(name, pkg);
  }
  return pkg;
}
