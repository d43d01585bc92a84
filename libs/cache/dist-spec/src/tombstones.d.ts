/**
 * Short-lived memory of invalidations, so that a fill carrying an older version — delivered
 * late by the bus or finished late by a slow loader — loses to the delete that came after it.
 * `floor` is the version of the last `clear`: nothing older is accepted again (a value at exactly
 * the floor was issued concurrently by another replica and is let in). Tombstones live `ttlMs`;
 * values read longer ago than that are refused outright, since a delete they lost to may be forgotten.
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
    /** Everything before `version` is gone (a clear). */
    raiseFloor(version: number): void;
    /**
     * True when a value of `key` at `version`, read from its store at `readAt` (a version too), may be
     * kept: no delete, pattern delete or clear after it is remembered, and it was read recently enough
     * that such a delete would still be remembered.
     */
    accepts(key: string, version: number, readAt?: number): boolean;
    /** Forgets tombstones older than the TTL. */
    sweep(now?: number): void;
    get size(): number;
}
//# sourceMappingURL=tombstones.d.ts.map