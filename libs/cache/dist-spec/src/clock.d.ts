/**
 * A hybrid logical clock whose readings are the versions of cache entries and invalidations.
 * It follows wall time, never goes backwards, and moves past every version it observes from a
 * peer, so an invalidation issued after seeing a fill always carries a higher version than it.
 */
export declare class VersionClock {
    private last;
    /** A new version, greater than every version this clock has issued or observed. */
    next(): number;
    /** Records a version seen from a peer so later versions issued here are greater. */
    observe(version: number): void;
    /** The wall-clock millisecond a version was issued at. */
    static millisOf(version: number): number;
}
//# sourceMappingURL=clock.d.ts.map