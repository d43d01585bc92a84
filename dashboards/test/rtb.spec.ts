import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS_DIR } from '../src/files';
import type { Dashboard, Panel } from '../src/grafana';
import { panelQueries } from '../src/panel-queries';
import { CONTRACT_AGGREGATION_SECONDS, CONTRACT_TIMEOUTS, LAG_ALERT_SECONDS } from '../src/rtb';

/** The committed RTB dashboard as Grafana will load it from a file or a ConfigMap. */
const rtb = JSON.parse(readFileSync(join(DASHBOARDS_DIR, 'clustache-rtb.json'), 'utf8')) as Dashboard;
const panel = (title: string): Panel => {
  const found = rtb.panels.find((candidate) => candidate.title === title);
  if (!found) throw new Error(`no panel "${title}"`);
  return found;
};
/** The threshold values a panel draws (beyond the base step). */
const thresholds = (title: string): number[] =>
  (panel(title).fieldConfig as { defaults: { thresholds?: { steps: { value: number | null }[] } } }).defaults
    .thresholds!.steps.map((step) => step.value)
    .filter((value): value is number => value !== null);
const exprs = (title: string) => panel(title).targets!.map((target) => target.expr);

describe('the Clustache RTB dashboard', () => {
  it('has the RTB rows: tags, latency against the contract, aggregation', () => {
    const rows = rtb.panels.filter((candidate) => candidate.type === 'row').map((row) => row.title);
    expect(rows).toEqual(['RTB: user tags', 'RTB: latency against the contract', 'RTB: aggregation']);
  });

  it('shows tags accepted, dropped and rejected per second', () => {
    expect(exprs('Tags accepted, dropped, rejected')).toEqual([
      expect.stringContaining('rate(rtb_user_tags_accepted_total{'),
      expect.stringContaining('rate(rtb_user_tags_dropped_total{'),
      expect.stringContaining('rate(rtb_user_tags_rejected_total{'),
    ]);
  });

  it('draws the contract timeouts on the p99 latency of each RTB route', () => {
    expect(thresholds('p99 latency: tags and profiles')).toEqual([CONTRACT_TIMEOUTS.userTags]);
    expect(CONTRACT_TIMEOUTS.userProfiles).toBe(CONTRACT_TIMEOUTS.userTags);
    expect(exprs('p99 latency: tags and profiles')[0]).toMatch(
      /histogram_quantile\(0\.99, .*route=~"\/user_tags\|\/user_profiles\/:cookie"/,
    );
    expect(thresholds('p99 latency: aggregates')).toEqual([CONTRACT_TIMEOUTS.aggregates]);
    expect(exprs('p99 latency: aggregates')[0]).toContain('route=~"/aggregates"');
    expect(CONTRACT_TIMEOUTS).toEqual({ userTags: 0.2, userProfiles: 0.2, aggregates: 60 });
  });

  it('takes the group-wide lag and backlog as a max, with the alert and contract limits drawn', () => {
    expect(exprs('Aggregation lag')).toEqual([
      'max(rtb_aggregation_lag_seconds{job="clustache-rtb-aggregator"})',
    ]);
    expect(thresholds('Aggregation lag')).toEqual([LAG_ALERT_SECONDS, CONTRACT_AGGREGATION_SECONDS]);
    expect(exprs('Aggregation backlog')).toEqual([
      'max(rtb_aggregation_backlog_tags{job="clustache-rtb-aggregator"})',
    ]);
    expect(exprs('Aggregator tags').join(' ')).toMatch(/applied.*duplicate.*claimed/);
  });

  it('selects API series by job clustache-rtb-api and aggregator series by job clustache-rtb-aggregator', () => {
    for (const { panel: title, expr } of panelQueries(rtb)) {
      if (/\b(rtb_user_tags|rtb_debug|http_request_)/.test(expr))
        expect({ title, ok: expr.includes('job="clustache-rtb-api"') }).toEqual({ title, ok: true });
      if (/\brtb_aggregat/.test(expr))
        expect({ title, ok: expr.includes('job="clustache-rtb-aggregator"') }).toEqual({ title, ok: true });
      expect({ title, ok: /job=~?"clustache-rtb/.test(expr) }).toEqual({ title, ok: true });
    }
  });
});
