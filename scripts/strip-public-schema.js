#!/usr/bin/env node
// drizzle-kit writes `REFERENCES "public"."stories"(...)` even though the tables are declared
// without a schema. Migrations are applied into whatever schema is first on search_path (a
// per-test schema, or a Supabase schema later), so every `"public".` qualifier is removed from
// the generated SQL. Snapshots are left alone: drizzle-kit diffs schema against snapshot, both
// of which still say "public", and the migrator only compares a migration's timestamp, so editing
// SQL after generation (even of an applied migration) is safe. Idempotent; run by `npm run db:generate`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'storage', 'migrations');

let changed = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
  const file = join(dir, name);
  const before = readFileSync(file, 'utf8');
  const after = before.replaceAll('"public".', '');
  if (after !== before) {
    writeFileSync(file, after);
    changed += 1;
    console.log(`strip-public-schema: ${name}`);
  }
}
console.log(`strip-public-schema: ${changed} file(s) changed`);
