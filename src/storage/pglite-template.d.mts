import type { PGlite } from '@electric-sql/pglite';

/** Where this installation keeps the copy of a new database (null: no node_modules folder to keep it in). */
export function pgliteTemplatePath(): string | null;
/** Keep a just-initialised database as the copy at `path`; false when it could not be written. */
export function savePgliteTemplate(db: PGlite, path: string): Promise<boolean>;
/** PGlite with pgvector at `dataPath`; a new one starts from the copy at `templatePath` when there is one. */
export function openPgliteData(dataPath: string, templatePath: string | null): Promise<{ db: PGlite; from: 'existing' | 'template' | 'initdb' }>;
/** Make the copy at `path` from a new database; false when it could not be written. */
export function makePgliteTemplate(path: string): Promise<boolean>;
