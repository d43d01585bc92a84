/** The engine logs through this; pass your own (pino, winston) or use `jsonLogger`. */
export interface Logger {
    debug(message: string, context?: Record<string, unknown>): void;
    info(message: string, context?: Record<string, unknown>): void;
    warn(message: string, context?: Record<string, unknown>): void;
    error(message: string, context?: Record<string, unknown>): void;
}
declare const LEVELS: readonly ["debug", "info", "warn", "error"];
export type LogLevel = (typeof LEVELS)[number];
/** One JSON object per line on the given stream, at `level` and above. */
export declare function jsonLogger(level?: LogLevel, write?: (line: string) => boolean): Logger;
export declare const silentLogger: Logger;
export {};
//# sourceMappingURL=logger.d.ts.map