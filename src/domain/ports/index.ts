export type * from './story-engine.js';
export type * from './models.js';
export type * from './store.js';
export type * from './turn-queue.js';
export type * from './event-bus.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type * from './rate-limiter.js';
export type * from './memory.js';
