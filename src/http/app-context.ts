import type { DramaService } from '../domain/drama-service.js';
import type { EventBus } from '../domain/ports/event-bus.js';
import type { Logger } from '../domain/turn-deps.js';
import type { Hono } from 'hono';
import type { TokenAuth } from './auth/token-auth.js';

/** What the HTTP layer needs; built by runtime/, so http/ never imports storage/. */
export interface HttpDeps {
  service: DramaService;
  bus: EventBus;
  auth: TokenAuth;
  logger: Logger;
  limits: { maxBodyBytes: number; maxInkSourceBytes: number };
  /** Throws if a dependency (database, queue) is unreachable. */
  checkReady(): Promise<void>;
  /** True once shutdown began: refuse new work, report not ready. */
  isDraining(): boolean;
  /** The queue dashboard (distributed mode) and the token that guards it. */
  admin?: { dashboard?: Hono; token?: string };
}

export interface AppEnv {
  Variables: {
    requestId: string;
    userId: string;
    logger: Logger;
  };
}
