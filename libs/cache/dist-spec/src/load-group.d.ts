/**
 * One load per key per process: concurrent callers for a key share the first caller's promise,
 * so the loader runs once and a failure reaches every waiter as the same error.
 */
export declare class LoadGroup {
    private readonly inFlight;
    run<T>(key: string, load: () => Promise<T>): {
        promise: Promise<T>;
        shared: boolean;
    };
    get size(): number;
}
//# sourceMappingURL=load-group.d.ts.map