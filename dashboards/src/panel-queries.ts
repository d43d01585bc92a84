/**
 * Reads the queries out of any Grafana dashboard JSON (ours or the seed's, rows nested or not)
 * and turns Grafana's template syntax into plain PromQL, so a test can run every panel's query
 * against a real Prometheus exactly as Grafana would with "All" selected.
 */

export interface PanelQuery {
  panel: string;
  refId: string;
  expr: string;
  /** Grafana's legend template, e.g. `{{instance}}`. */
  legend: string;
}

export interface PanelLike {
  title?: string;
  type?: string;
  targets?: { expr?: string; refId?: string; legendFormat?: string; hide?: boolean }[];
  panels?: PanelLike[];
}

/** Every visible query of every panel, including panels nested in collapsed rows. */
export function panelQueries(dashboard: { panels?: PanelLike[] }): PanelQuery[] {
  const queries: PanelQuery[] = [];
  const visit = (panels: PanelLike[] | undefined) => {
    for (const panel of panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (target.expr && !target.hide) {
          queries.push({
            panel: panel.title ?? '(untitled)',
            refId: target.refId ?? '?',
            expr: target.expr,
            legend: target.legendFormat ?? '',
          });
        }
      }
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return queries;
}

export interface Substitutions {
  /** What `$__rate_interval` stands for; Grafana uses at least four scrape intervals. @default '1m' */
  rateInterval?: string;
  /** Values of other template variables. @default every one is ".*" ("All") */
  variables?: Record<string, string>;
}

/** The query as Prometheus receives it from Grafana: built-in intervals and variables replaced. */
export function toPromql(expr: string, { rateInterval = '1m', variables = {} }: Substitutions = {}): string {
  return expr
    .replaceAll('$__rate_interval', rateInterval)
    .replaceAll('${__rate_interval}', rateInterval)
    .replaceAll('$__interval', rateInterval)
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      return variables[name] ?? '.*';
    });
}
