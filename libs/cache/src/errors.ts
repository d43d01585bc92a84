/**
 * Every error the engine raises is a CacheError with a stable `code`, so callers branch on
 * codes rather than on messages. Messages name the option or condition to change.
 */
export class CacheError extends Error {
  static readonly code: string = 'E_CACHE';
  readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = (new.target as typeof CacheError).code;
  }
}

/** A cache option is missing or out of range; raised when the cache is created. */
export class CacheConfigError extends CacheError {
  static override readonly code = 'E_CACHE_CONFIG';
}

/** Redis did not answer (down, disconnected or timed out) and no fallback was possible. */
export class RedisUnavailableError extends CacheError {
  static override readonly code = 'E_REDIS_UNAVAILABLE';

  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`redis ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The loader took longer than `timeouts.hardMs` and no stale value could stand in. */
export class LoaderTimeoutError extends CacheError {
  static override readonly code = 'E_LOADER_TIMEOUT';
}

/** The cache was used after `close()`. */
export class CacheClosedError extends CacheError {
  static override readonly code = 'E_CACHE_CLOSED';
}

/** A value could not be serialised to JSON, so it can neither be sized nor sent to peers. */
export class ValueNotSerializableError extends CacheError {
  static override readonly code = 'E_VALUE_NOT_SERIALIZABLE';
}
