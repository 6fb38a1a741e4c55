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

interface LevelAware {
  isLevelEnabled?(level: string): boolean;
}

/**
 * `parent.child(bindings)`, made only when something is logged at an enabled level. A request or
 * a turn gets a child logger but usually logs nothing at the default level, and making a pino
 * child (serializing and redacting its bindings) cost more than a request's routing.
 */
export function lazyChild(parent: Logger, bindings: object): Logger {
  let real: Logger | undefined;
  const enabled = (level: string) => (parent as Logger & LevelAware).isLevelEnabled?.(level) ?? true;
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (obj: object, msg?: string): void => {
      if (!enabled(level)) return;
      real ??= parent.child(bindings);
      real[level](obj, msg);
    };
  const lazy: Logger & LevelAware = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => (real ? real.child(more) : lazyChild(parent, { ...bindings, ...more })),
    isLevelEnabled: enabled,
  };
  return lazy;
}
