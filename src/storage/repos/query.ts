/**
 * What the repositories share: the driver-neutral database handle and small SQL helpers.
 * @module
 */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type * as schema from '../schema/index.js';

/** A Drizzle database over either PGlite or node-postgres; the repositories never know which. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * Run raw SQL and return its rows as objects. Both drivers put rows in `.rows`, but their result
 * types differ, hence the one cast here. Raw timestamps come back as text on both drivers (Drizzle
 * disables their date parsers), so raw queries should return timestamps through `to_jsonb`.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** The PostgreSQL error fields we branch on. */
export interface PgErrorInfo {
  code: string;
  constraint?: string;
}

/**
 * The PostgreSQL error behind `err`, if any. Drizzle wraps driver errors in DrizzleQueryError
 * (the original is `cause`), so walk the cause chain.
 */
export function pgErrorOf(err: unknown): PgErrorInfo | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth += 1) {
    const rec = e as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof rec.code === 'string' && /^[0-9A-Z]{5}$/.test(rec.code)) {
      return typeof rec.constraint === 'string' ? { code: rec.code, constraint: rec.constraint } : { code: rec.code };
    }
    e = rec.cause;
  }
  return null;
}

/** Quote an SQL identifier (for the pgvector schema name, which is only known at run time). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Parse a timestamp that came back as a Date (query builder) or ISO text (raw JSON). */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}
