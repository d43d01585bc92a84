/**
 * The services' log: one JSON object per line, at a level and above. It fits the engine's
 * `Logger` (and any logger with debug/info/warn/error taking a message and a context), so a
 * service passes one logger to its caches and logs its own lines the same way.
 */
export interface JsonLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** One JSON object per line on the given stream, at `level` and above. */
export function jsonLogger(
  level: LogLevel = 'info',
  write = (line: string) => process.stdout.write(line),
): JsonLogger {
  const threshold = LEVELS.indexOf(level);
  const log = (at: LogLevel) => (message: string, context?: Record<string, unknown>) => {
    if (LEVELS.indexOf(at) < threshold) return;
    write(
      `${JSON.stringify({ time: new Date().toISOString(), level: at, message, ...serialise(context) })}\n`,
    );
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function serialise(context: Record<string, unknown> | undefined): Record<string, unknown> {
  if (context === undefined) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) {
    out[key] =
      value instanceof Error
        ? { name: value.name, message: value.message, code: (value as { code?: unknown }).code }
        : value;
  }
  return out;
}
