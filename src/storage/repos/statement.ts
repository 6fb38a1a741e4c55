/**
 * Statements of the turn's hot path, run without the query builder: fixed text, so node-postgres
 * prepares each once per connection (by name) and the server plans it once, and no SQL is built
 * in JS per call. The rest of the repositories use Drizzle.
 * @module
 */

/** A statement with `$n` placeholders; `name` must be unique per text. */
export interface Statement {
  name: string;
  text: string;
}

/** Run a statement and return its rows (JSON columns parsed, timestamps as `Date`). */
export type RawQuery = <T>(statement: Statement, values: unknown[]) => Promise<T[]>;
