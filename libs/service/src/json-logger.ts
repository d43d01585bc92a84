import type { Logger } from './logger';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

/**
 * The services' log: one JSON object per line on the given stream, at `level` and above. Errors
 * in the context are written as their name, message and code.
 */
export function jsonLogger(
  level: LogLevel = 'info',
  write = (line: string) => process.stdout.write(line),
): Logger {
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
