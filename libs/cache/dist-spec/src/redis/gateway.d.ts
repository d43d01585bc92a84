import type Redis from 'ioredis';
import type { Logger } from '../logger';
/**
 * The one place every Redis command of the engine goes through. A failure is logged once,
 * counted by operation, and turned into a `RedisUnavailableError`; `runOr` is the degrade path
 * used wherever an L1 or the source can answer instead, so a Redis outage never fails a read.
 * Connections are created with the offline queue off, so commands fail fast while Redis is gone.
 */
export declare class RedisGateway {
    readonly redis: Redis;
    private readonly logger;
    private readonly onError;
    constructor(redis: Redis, logger: Logger, onError: (operation: string) => void);
    run<T>(operation: string, command: (redis: Redis) => Promise<T>): Promise<T>;
    /** Like `run`, but answers `fallback` when Redis fails. */
    runOr<T, F>(operation: string, command: (redis: Redis) => Promise<T>, fallback: F): Promise<T | F>;
    /** Runs a pipeline built by `build` in one round trip; any failed command fails the whole call. */
    pipeline(operation: string, build: (pipeline: ReturnType<Redis['pipeline']>) => void): Promise<unknown[]>;
}
//# sourceMappingURL=gateway.d.ts.map