import type { Dashboard } from './grafana';
/**
 * Writes each dashboard's JSON next to this project (`dashboards/<file>`), the files the Helm
 * chart embeds verbatim. `--check` writes nothing and fails when a committed file differs from
 * what the TypeScript source generates, so CI catches hand edits and forgotten regenerations.
 */
/** File name (in `dashboards/`) → dashboard. */
export declare const DASHBOARDS: Record<string, () => Dashboard>;
/** The exact bytes committed for a dashboard: prettier-formatted JSON, so `format:check` agrees. */
export declare function render(dashboard: Dashboard): Promise<string>;
/** Names of the committed files that differ from what the source generates. */
export declare function staleFiles(): Promise<string[]>;
//# sourceMappingURL=generate.d.ts.map