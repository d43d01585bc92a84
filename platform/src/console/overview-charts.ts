import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- dashboards/ is a config project, not a package with a name
import { panelQueries, toPromql } from '../../../dashboards/src/panel-queries';
import type { PrometheusApi } from '../prometheus-api';
import type { Chart, ChartUnit } from './svg-chart';

/** The dashboard panels the console draws, with the unit each is read in. */
export const OVERVIEW_CHARTS: { title: string; unit: ChartUnit }[] = [
  { title: 'Cache fill rate', unit: 'percent' },
  { title: '% of fulfillment from pub/sub', unit: 'percent' },
  { title: 'Response latency', unit: 'seconds' },
  { title: 'Request rate by route', unit: 'perSecond' },
];

const DASHBOARD_FILE = join(__dirname, '..', '..', '..', 'dashboards', 'clustache-overview.json');

/**
 * Reads the console's charts from Prometheus with the very queries of the Grafana dashboard
 * (taken from dashboards/clustache-overview.json), so the console and Grafana never disagree.
 */
export class OverviewCharts {
  private readonly queries = panelQueries(JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')));

  constructor(
    private readonly prometheus: PrometheusApi,
    /** @default the last 15 minutes */
    private readonly rangeSeconds = 900,
  ) {}

  /** The PromQL behind a chart, one query per line of it, with the legend of each. */
  queriesOf(title: string): { expr: string; legend: string }[] {
    const queries = this.queries.filter((query) => query.panel === title);
    if (queries.length === 0) throw new Error(`no panel "${title}" in ${DASHBOARD_FILE}`);
    return queries.map((query) => ({
      expr: toPromql(query.expr, { rateInterval: '1m' }),
      legend: query.legend,
    }));
  }

  async charts(nowSeconds = Date.now() / 1000): Promise<Chart[]> {
    return Promise.all(OVERVIEW_CHARTS.map(({ title, unit }) => this.chart(title, unit, nowSeconds)));
  }

  private async chart(title: string, unit: ChartUnit, end: number): Promise<Chart> {
    const start = end - this.rangeSeconds;
    const step = Math.max(5, Math.round(this.rangeSeconds / 120));
    const series = await Promise.all(
      this.queriesOf(title).map(async ({ expr, legend }) => {
        const result = await this.prometheus.queryRange(expr, start, end, step).catch(() => []);
        return result.map((one) => ({
          label: legend.replace(/\{\{(\w+)\}\}/g, (_, name: string) => one.metric[name] ?? name),
          points: one.values.map(([t, v]) => [t, Number(v)] as [number, number]),
        }));
      }),
    );
    return { title, unit, series: series.flat() };
  }
}
