import { type Registry } from 'prom-client';
import type { CacheStats } from './stats';
/** What the metrics read from a live cache at scrape time. */
export interface MetricsSource {
    readonly name: string;
    readonly stats: CacheStats;
    readonly l1Entries: number;
    readonly l1Bytes: number;
    readonly busConnected: boolean;
}
/** The instruments one cache observes directly (histograms); counters are read from its stats. */
export interface CacheMetrics {
    observeLag(seconds: number): void;
    observeLoad(seconds: number): void;
    detach(): void;
}
export declare function attachMetrics(source: MetricsSource, registry?: Registry): CacheMetrics;
//# sourceMappingURL=metrics.d.ts.map