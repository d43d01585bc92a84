/**
 * Short-lived memory of invalidations, so that a fill carrying an older version — delivered
 * late by the bus or finished late by a slow loader — loses to the delete that came after it.
 * `floor` is the version of the last `clear` or local flush: nothing older is accepted again
 * (a value at exactly the floor was issued concurrently by another replica and is let in).
 * Tombstones live `ttlMs`; writes older than that are refused outright (see `accepts`).
 */
export declare class Tombstones {
    private readonly ttlMs;
    private readonly keys;
    private patterns;
    private floor;
    constructor(ttlMs: number);
    /** Records that `key` was deleted at `version`. */
    addKey(key: string, version: number): void;
    addPattern(pattern: string, version: number): void;
    /** Everything up to `version` is gone (a clear, or a flush of entries that can no longer be trusted). */
    raiseFloor(version: number): void;
    /**
     * True when a value of `key` at `version` may be stored: no delete, pattern delete or clear at
     * or after it is remembered, and it is young enough that such a delete would still be remembered.
     */
    accepts(key: string, version: number, versionMillis: number): boolean;
    /** Forgets tombstones older than the TTL. */
    sweep(now?: number): void;
    get size(): number;
}
//# sourceMappingURL=tombstones.d.ts.map