/**
 * Statements of the turn's hot path, run without the query builder: fixed text, so node-postgres
 * prepares each once per connection (by name) and the server plans it once, and no SQL is built
 * in JS per call. The rest of the repositories use Drizzle.
 * @module
 */
import { sql, type SQL } from 'drizzle-orm';

/** A statement with `$n` placeholders; `name` must be unique per text. */
export interface Statement {
  name: string;
  text: string;
}

/** Run a statement and return its rows (JSON columns parsed, timestamps as `Date`). */
export type RawQuery = <T>(statement: Statement, values: unknown[]) => Promise<T[]>;

/** The statement as a Drizzle query with the same parameters, for a caller that only has a Db. */
export function statementSql(statement: Statement, values: unknown[]): SQL {
  // split with a capture group: even items are text, odd items are parameter numbers.
  const parts = statement.text.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1]}`)));
}
