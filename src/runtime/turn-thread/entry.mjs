// The turn thread's first module (see start-turn-thread.ts). Plain ESM: a worker thread does not
// inherit the main thread's module loader. In dist/ (the compiled server, bin/server-build.js)
// thread-main.js sits beside this file; in src/ tsx's loader is registered to load the .ts.
import { existsSync } from 'node:fs';

const compiled = new URL('./thread-main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./thread-main.ts');
}
