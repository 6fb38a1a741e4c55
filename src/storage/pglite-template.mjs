// A new embedded database starts from a copy of a freshly initialised one instead of running
// initdb, which takes PGlite ~4 s of WebAssembly; loading the copy takes ~1 s (PGlite's own
// dumpDataDir / loadDataDir). One copy per PGlite and pgvector version, in
// node_modules/.cache/mock-drama/: `mock-drama build` makes it, or else the first new database
// does, and every later one (a new DATA_DIR, a test's :memory: database) starts from it. It holds
// initdb's output only: migrations run on every database as before.
// Plain ESM with its types beside it, because the database thread (pglite-thread.mjs) and
// bin/server-build.js load it without a TypeScript loader.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { installedPackage } from '../shared/installed-package.mjs';

const MEMORY = 'memory://';

/** PGlite and pgvector, loaded when a database is made: finding the copy's path needs neither. */
async function pglite() {
  const [{ PGlite }, { vector }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector')]);
  return { PGlite, options: { extensions: { vector } } };
}

/** Where this installation keeps the copy (null: no node_modules folder to keep it in). */
export function pgliteTemplatePath() {
  const pglite = installedPackage('@electric-sql/pglite');
  const pgvector = installedPackage('@electric-sql/pglite-pgvector');
  const at = pglite.dir?.lastIndexOf(`${sep}node_modules${sep}`) ?? -1;
  if (at < 0) return null;
  const nodeModules = pglite.dir.slice(0, at + `${sep}node_modules`.length);
  return join(nodeModules, '.cache', 'mock-drama', `pglite-${pglite.version}-pgvector-${pgvector.version}.tar.gz`);
}

/** Whether a PGlite data path holds no database yet. */
function isNewPgliteData(dataPath) {
  return dataPath === MEMORY || !existsSync(join(dataPath, 'PG_VERSION'));
}

function readTemplate(path) {
  try {
    return new Blob([gunzipSync(readFileSync(path))]);
  } catch {
    return null; // missing or unreadable: initdb, as without a copy
  }
}

/**
 * Keep a just-initialised database as the copy: written beside, then renamed into place, so two
 * processes making it at once, or one stopped halfway, never leave a partial copy to load.
 * Failing to write it (a read-only node_modules) only means the next database runs initdb too.
 */
export async function savePgliteTemplate(db, path) {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    const tar = await db.dumpDataDir('none');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, gzipSync(Buffer.from(await tar.arrayBuffer()), { level: 1 }));
    renameSync(temp, path);
    return true;
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // its folder could not be made either: nothing was written
    }
    return false;
  }
}

/**
 * PGlite with pgvector at `dataPath` ('memory://' or a directory). A new one starts from the copy
 * at `templatePath` when there is one, else runs initdb and, with a `templatePath`, leaves its
 * copy there. `from` tells which happened: 'existing', 'template' or 'initdb'.
 */
export async function openPgliteData(dataPath, templatePath) {
  const { PGlite, options } = await pglite();
  const fresh = isNewPgliteData(dataPath);
  const template = fresh && templatePath ? readTemplate(templatePath) : null;
  if (template) {
    try {
      return { db: await PGlite.create(dataPath, { ...options, loadDataDir: template }), from: 'template' };
    } catch {
      // A damaged copy: drop it (where this process may: the image's node_modules is read-only),
      // and whatever it began to unpack, and start as without one.
      try {
        rmSync(templatePath, { force: true });
      } catch {
        // left for `mock-drama build` to replace
      }
      if (dataPath !== MEMORY) rmSync(dataPath, { recursive: true, force: true });
    }
  }
  const db = await PGlite.create(dataPath, options);
  if (fresh && templatePath && !existsSync(templatePath)) await savePgliteTemplate(db, templatePath);
  return { db, from: fresh ? 'initdb' : 'existing' };
}

/** Make the copy at `path` from a new database (`mock-drama build`, when the installation has none); false when it could not be written. */
export async function makePgliteTemplate(path) {
  const { PGlite, options } = await pglite();
  const db = await PGlite.create(MEMORY, options);
  try {
    return await savePgliteTemplate(db, path);
  } finally {
    await db.close();
  }
}
