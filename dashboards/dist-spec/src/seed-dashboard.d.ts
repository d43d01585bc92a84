import type { PanelLike } from './panel-queries';
/**
 * The seed's own dashboard (seed 000: the Grafana JSON Clustache started from), read from the
 * seeds folder beside the repository (`../shared/seeds`, or `CLUSTACHE_SEEDS_DIR`). It is never
 * copied into the repository; tests read it to prove it still shows data against our metrics.
 */
export declare const SEEDS_DIR: string;
export declare function readSeedDashboard(seedsDir?: string): Promise<{
    title: string;
    panels: PanelLike[];
}>;
//# sourceMappingURL=seed-dashboard.d.ts.map