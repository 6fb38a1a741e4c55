/**
 * Vite build of the web client (web/ → web/dist). Preact without a preset plugin: the oxc
 * transformer compiles JSX with Preact's automatic runtime. `npm run dev:web` serves it with
 * hot reload and forwards the API and streams to a server on :8000.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.MOCK_DRAMA_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
      '/docs': api,
      '/openapi.json': api,
    },
  },
});
