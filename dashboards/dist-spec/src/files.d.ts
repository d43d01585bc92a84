import type { Dashboard } from './grafana';
/** Where the generated dashboards live: `dashboards/*.json`, the paths the Helm chart embeds. */
export declare const DASHBOARDS_DIR: string;
/** Every committed dashboard, by file name, as Grafana will load it. */
export declare function readCommittedDashboards(): Promise<Map<string, Dashboard>>;
//# sourceMappingURL=files.d.ts.map