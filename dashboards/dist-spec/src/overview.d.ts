import { type Dashboard, type PanelSpec, type RowSpec } from './grafana';
/** Every panel of the overview, row by row (the tests walk this). */
export declare const OVERVIEW_ROWS: RowSpec[];
export declare const OVERVIEW_PANELS: PanelSpec[];
export declare function overviewDashboard(): Dashboard;
//# sourceMappingURL=overview.d.ts.map