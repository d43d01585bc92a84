import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '@clustache/testing';
import { DASHBOARDS_DIR } from '../src/files';
import type { Dashboard, Panel } from '../src/grafana';
import { toPromql } from '../src/panel-queries';

/**
 * The overview's "Recovery" row (issue 12): its queries run in promtool over series shaped like
 * the engine's recovery metrics, so each panel is shown to compute what its title says.
 */

const SERIES = 'job="clustache-api", instance="api-1", cache="clustache"';
const REPAIRS = 'clustache_cache_l1_repairs_total';
const DURATION = 'clustache_cache_l1_repair_duration_seconds_bucket';

/** Per-minute counter increments chosen so every rate is a whole number per second. */
const INPUT = [
  { series: `${REPAIRS}{${SERIES}, outcome="repaired", reason="gap"}`, values: '0+180x20' },
  { series: `${REPAIRS}{${SERIES}, outcome="flushed", reason="trimmed"}`, values: '0+60x20' },
  // Not recoveries: the start-up subscription, and a replica whose replay log is off.
  { series: `${REPAIRS}{${SERIES}, outcome="flushed", reason="subscribe"}`, values: '0+600x20' },
  {
    series: `${REPAIRS}{job="clustache-api", instance="api-2", cache="clustache", outcome="flushed", reason="disabled"}`,
    values: '0+300x20',
  },
  { series: `clustache_cache_l1_repair_messages_total{${SERIES}}`, values: '0+1200x20' },
  // Half the repairs within 0.1 s, the other half between 0.1 s and 0.5 s.
  { series: `${DURATION}{${SERIES}, le="0.1"}`, values: '0+30x20' },
  { series: `${DURATION}{${SERIES}, le="0.5"}`, values: '0+60x20' },
  { series: `${DURATION}{${SERIES}, le="+Inf"}`, values: '0+60x20' },
];

let overview: Dashboard;
let dir: string;

beforeAll(async () => {
  overview = JSON.parse(await readFile(join(DASHBOARDS_DIR, 'clustache-overview.json'), 'utf8')) as Dashboard;
  dir = await mkdtemp(join(tmpdir(), 'clustache-recovery-row-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** The panels under the row whose title starts with `prefix`, up to the next row. */
function rowPanels(prefix: string): Panel[] {
  const start = overview.panels.findIndex((panel) => panel.type === 'row' && panel.title.startsWith(prefix));
  if (start < 0) throw new Error(`no row "${prefix}…"`);
  const end = overview.panels.findIndex((panel, i) => i > start && panel.type === 'row');
  return overview.panels.slice(start + 1, end < 0 ? undefined : end);
}

function exprsOf(title: string): string[] {
  const panel = rowPanels('Recovery').find((candidate) => candidate.title === title);
  if (!panel) throw new Error(`no panel "${title}" in the Recovery row`);
  return panel.targets!.map((target) => toPromql(target.expr, { rateInterval: '5m' }));
}

describe('the Recovery row of the overview', () => {
  it('sits after the bus row, with repairs vs flushes, messages applied, duration and the flushed share', () => {
    const rows = overview.panels.filter((panel) => panel.type === 'row').map((panel) => panel.title);
    expect(rows.indexOf(rows.find((title) => title.startsWith('Recovery'))!)).toBe(
      rows.findIndex((title) => title.startsWith('Bus')) + 1,
    );
    expect(rowPanels('Recovery').map((panel) => panel.title)).toEqual([
      'L1 repairs and flushes',
      'Messages applied by repair',
      'Repair duration',
      'Share of recoveries that flushed',
    ]);
  });

  it('computes each panel from the engine’s recovery series (promtool evaluates the queries)', async () => {
    const [byOutcome] = exprsOf('L1 repairs and flushes');
    const [messages] = exprsOf('Messages applied by repair');
    const [p50, p99] = exprsOf('Repair duration');
    const [share] = exprsOf('Share of recoveries that flushed');
    const sample = (labels: string, value: number) => ({ labels, value });
    const checks = [
      {
        expr: byOutcome,
        exp_samples: [
          sample('{outcome="repaired", reason="gap"}', 3),
          sample('{outcome="flushed", reason="trimmed"}', 1),
          sample('{outcome="flushed", reason="subscribe"}', 10),
          sample('{outcome="flushed", reason="disabled"}', 5),
        ],
      },
      { expr: messages, exp_samples: [sample('{instance="api-1"}', 20)] },
      { expr: p50, exp_samples: [sample('{}', 0.1)] },
      { expr: p99, exp_samples: [sample('{}', 0.1 + 0.4 * 0.98)] },
      // 1 flushed (trimmed) of 4 recoveries: start-up and "disabled" flushes are left out.
      { expr: share, exp_samples: [sample('{}', 0.25)] },
    ];
    const rules = join(dir, 'none.rules.yml');
    await writeFile(rules, JSON.stringify({ groups: [] }));
    const tests = join(dir, 'recovery-row.test.yml');
    await writeFile(
      tests,
      JSON.stringify({
        rule_files: [rules],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: INPUT,
            promql_expr_test: checks.map((check) => ({ ...check, eval_time: '10m' })),
          },
        ],
      }),
    );
    const result = await runTool('promtool', ['test', 'rules', tests]);
    expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({
      code: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });
});
