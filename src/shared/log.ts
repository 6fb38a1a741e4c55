/**
 * The structured logger every layer may use (pino fits; shared/logger.ts makes one). Its own file,
 * free of pino, so the domain can name it without importing a logging library.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}
