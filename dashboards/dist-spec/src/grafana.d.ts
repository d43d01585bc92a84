/**
 * The slice of Grafana's dashboard JSON model our dashboards use, with builders that fill in
 * what provisioning needs: every query goes to the `${datasource}` template variable (never an
 * `__inputs` import placeholder), and panels are laid out in rows on Grafana's 24-column grid.
 */
/** The template variable every panel and query points at, so provisioning needs no import step. */
export declare const DATASOURCE: {
    readonly type: "prometheus";
    readonly uid: "${datasource}";
};
export type Unit = 'percentunit' | 's' | 'reqps' | 'ops' | 'short' | 'bytes' | 'none';
export interface Query {
    expr: string;
    legendFormat: string;
}
export interface PanelSpec {
    title: string;
    description: string;
    unit: Unit;
    queries: Query[];
    /** Width in grid columns (of 24). @default 8 */
    width?: number;
    /** `stat` shows one current number per series. @default 'timeseries' */
    kind?: 'timeseries' | 'stat';
    /** Stack the series (shares of a whole, rates by label). @default false */
    stacked?: boolean;
    /** Fixed axis bounds, e.g. 0..1 for ratios. */
    min?: number;
    max?: number;
}
export interface RowSpec {
    title: string;
    panels: PanelSpec[];
}
export interface GridPos {
    h: number;
    w: number;
    x: number;
    y: number;
}
export interface Target {
    datasource: typeof DATASOURCE;
    editorMode: 'code';
    expr: string;
    legendFormat: string;
    range: true;
    refId: string;
}
export interface Panel {
    id: number;
    type: 'timeseries' | 'stat' | 'row';
    title: string;
    gridPos: GridPos;
    description?: string;
    datasource?: typeof DATASOURCE;
    targets?: Target[];
    fieldConfig?: unknown;
    options?: unknown;
    collapsed?: boolean;
    panels?: Panel[];
}
export interface TemplateVariable {
    name: string;
    label: string;
    type: 'datasource' | 'query';
    [field: string]: unknown;
}
export interface Dashboard {
    uid: string;
    title: string;
    description: string;
    tags: string[];
    panels: Panel[];
    templating: {
        list: TemplateVariable[];
    };
    [field: string]: unknown;
}
/** The `datasource` variable: any Prometheus data source, chosen in the dashboard's header. */
export declare function datasourceVariable(): TemplateVariable;
/** A multi-select variable filled from a label's values; "All" matches every value (`.*`). */
export declare function labelVariable(name: string, label: string, metricSelector: string): TemplateVariable;
/** Lays the rows out top to bottom, each row's panels left to right, wrapping at 24 columns. */
export declare function layout(rows: RowSpec[]): Panel[];
export interface DashboardSpec {
    uid: string;
    title: string;
    description: string;
    tags: string[];
    variables: TemplateVariable[];
    rows: RowSpec[];
}
/** A complete dashboard: provisionable as is, from a file or a ConfigMap. */
export declare function dashboard(spec: DashboardSpec): Dashboard;
//# sourceMappingURL=grafana.d.ts.map