/**
 * Every error the engine raises is a CacheError with a stable `code`, so callers branch on
 * codes rather than on messages. Messages name the option or condition to change.
 */
export declare class CacheError extends Error {
    static readonly code: string;
    readonly code: string;
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
/** A cache option is missing or out of range; raised when the cache is created. */
export declare class CacheConfigError extends CacheError {
    static readonly code = "E_CACHE_CONFIG";
}
/** Redis did not answer (down, disconnected or timed out) and no fallback was possible. */
export declare class RedisUnavailableError extends CacheError {
    readonly operation: string;
    static readonly code = "E_REDIS_UNAVAILABLE";
    constructor(operation: string, cause: unknown);
}
/** The cache was used after `close()`. */
export declare class CacheClosedError extends CacheError {
    static readonly code = "E_CACHE_CLOSED";
}
/** A value could not be serialised to JSON, so it can neither be sized nor sent to peers. */
export declare class ValueNotSerializableError extends CacheError {
    static readonly code = "E_VALUE_NOT_SERIALIZABLE";
}
//# sourceMappingURL=errors.d.ts.map