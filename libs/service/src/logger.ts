/**
 * What services log through: debug/info/warn/error, each taking a message and a context. It has
 * the engine's `Logger` shape on purpose, so a service passes its own logger to its caches, yet
 * this library (and a service with no cache, like RTB) never depends on the engine for it.
 */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** Drops every line: the default where a test or a library user passes no logger. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
