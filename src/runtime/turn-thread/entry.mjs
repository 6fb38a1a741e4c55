// The turn thread's first module (see start-turn-thread.ts). Plain ESM: a worker thread does not
// inherit the main thread's TypeScript loader, so it registers tsx's own before loading ours.
import { register } from 'tsx/esm/api';

register();
await import('./thread-main.ts');
