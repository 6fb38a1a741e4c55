import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: migrations are applied from application code (src/storage/db.ts),
// because drizzle-kit's own PGlite driver cannot load the pgvector extension.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/schema/index.ts',
  out: './src/storage/migrations',
});
