/**
 * PromQL builders the dashboards share. Every rate is over `$__rate_interval`, which Grafana
 * keeps at four scrape intervals or more whatever the zoom.
 */

export const WINDOW = '$__rate_interval';

/** `sum by (labels) (rate(metric{selector}[$__rate_interval]))` */
export const rate = (metric: string, selector: string, by = ''): string =>
  `sum${by ? ` by (${by}) ` : ''}(rate(${metric}{${selector}}[${WINDOW}]))`;

/** The q-quantile of a histogram's rates, per `by` labels. */
export const quantile = (q: number, histogram: string, selector: string, by = ''): string =>
  `histogram_quantile(${q}, sum by (${by ? `${by}, ` : ''}le) (rate(${histogram}_bucket{${selector}}[${WINDOW}])))`;
