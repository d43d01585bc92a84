/**
 * Reads the queries out of any Grafana dashboard JSON (ours or the seed's, rows nested or not)
 * and turns Grafana's template syntax into plain PromQL, so a test can run every panel's query
 * against a real Prometheus exactly as Grafana would with "All" selected.
 */
export interface PanelQuery {
    panel: string;
    refId: string;
    expr: string;
}
export interface PanelLike {
    title?: string;
    type?: string;
    targets?: {
        expr?: string;
        refId?: string;
        hide?: boolean;
    }[];
    panels?: PanelLike[];
}
/** Every visible query of every panel, including panels nested in collapsed rows. */
export declare function panelQueries(dashboard: {
    panels?: PanelLike[];
}): PanelQuery[];
export interface Substitutions {
    /** What `$__rate_interval` stands for; Grafana uses at least four scrape intervals. @default '1m' */
    rateInterval?: string;
    /** Values of other template variables. @default every one is ".*" ("All") */
    variables?: Record<string, string>;
}
/** The query as Prometheus receives it from Grafana: built-in intervals and variables replaced. */
export declare function toPromql(expr: string, { rateInterval, variables }?: Substitutions): string;
//# sourceMappingURL=panel-queries.d.ts.map