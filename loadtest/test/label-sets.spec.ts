import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { recorder, type Emission } from './k6-standin/recorder';
import { K6_DEFAULT_SYSTEM_TAGS, SeriesCount } from './k6-series';
import {
  iterate,
  loadProfile,
  PROFILE_NAMES,
  runSetup,
  scenarioIterations,
  scenarioSeconds,
  startRun,
  type ProfileModule,
} from './profile-run';

/** The trend stats the chart's k6 Job configures (K6_PROMETHEUS_RW_TREND_STATS). */
const chartValues = parse(readFileSync(join(__dirname, '../../charts/clustache/values.yaml'), 'utf8')) as {
  loadtest: { remoteWrite: { trendStats: string } };
};
const TREND_STATS = chartValues.loadtest.remoteWrite.trendStats.split(',');
/** The chart passes `--tag testid=<release>-r<revision>`. */
const RUN_TAGS = { testid: 'clustache-r1' };

/** The same requests as if the script had not named them (no `name` tag). */
const unnamed = (emissions: Emission[]): Emission[] =>
  emissions.map((e) => {
    if (e.kind !== 'http') return e;
    const { name: _name, ...tags } = e.tags;
    return { ...e, tags };
  });

/**
 * Counts the same emissions under the profile's own system tags and under k6's defaults (where
 * `url` mirrors the `name` a request sets), each also as if no request had been named.
 */
class Comparison {
  readonly ours: SeriesCount;
  readonly oursUnnamed: SeriesCount;
  readonly k6Defaults?: SeriesCount;
  readonly k6DefaultsUnnamed?: SeriesCount;

  constructor(profile: ProfileModule, withK6Defaults: boolean) {
    const count = (systemTags: readonly string[] | undefined) =>
      new SeriesCount({ systemTags, runTags: RUN_TAGS, trendStats: TREND_STATS });
    this.ours = count(profile.options.systemTags);
    this.oursUnnamed = count(profile.options.systemTags);
    if (withK6Defaults) {
      this.k6Defaults = count(K6_DEFAULT_SYSTEM_TAGS);
      this.k6DefaultsUnnamed = count(K6_DEFAULT_SYSTEM_TAGS);
    }
  }

  readonly sink = (emissions: Emission[]): void => {
    const withoutNames = unnamed(emissions);
    this.ours.add(emissions);
    this.oursUnnamed.add(withoutNames);
    this.k6Defaults?.add(emissions);
    this.k6DefaultsUnnamed?.add(withoutNames);
  };
}

/** Iterations of `traffic` per profile, as the issue asks; `consistency` polls ~26 times per iteration. */
const TRAFFIC_ITERATIONS = 10_000;
const CONSISTENCY_ITERATIONS = 200;
const report: string[] = [];

const vusOf = (profile: ProfileModule, scenario: string): number => {
  const { preAllocatedVUs, vus } = profile.options.scenarios[scenario] as {
    preAllocatedVUs?: number;
    vus?: number;
  };
  return preAllocatedVUs ?? vus ?? 1;
};

/** setup(), then `traffic` and `consistency` iterations on the profile's VUs. */
function run(profile: ProfileModule, traffic: number, consistency: number, into: Comparison): void {
  startRun();
  try {
    runSetup(profile);
    into.sink(recorder.emissions);
    recorder.clear();
    const trafficVus = vusOf(profile, 'traffic');
    iterate(profile, 'traffic', { iterations: traffic, vus: trafficVus, firstVu: 1, sink: into.sink });
    iterate(profile, 'consistency', {
      iterations: consistency,
      vus: vusOf(profile, 'consistency'),
      firstVu: trafficVus + 1,
      sink: into.sink,
    });
  } finally {
    jest.useRealTimers();
  }
}

describe.each(PROFILE_NAMES)('the %s profile over 10,000 iterations', (name) => {
  const profile = loadProfile(name);
  const counts = new Comparison(profile, false);
  beforeAll(() => run(profile, TRAFFIC_ITERATIONS, CONSISTENCY_ITERATIONS, counts), 120_000);

  it('sends requests with fewer than 50 distinct label sets', () => {
    expect(counts.ours.requestLabelSets.size).toBeGreaterThan(5);
    expect(counts.ours.requestLabelSets.size).toBeLessThan(50);
    report.push(
      `${name}: request label sets ${counts.ours.requestLabelSets.size}, all label sets ${counts.ours.labelSets.size}, ` +
        `series ${counts.ours.series.size}`,
    );
  });

  it('labels no sample with a URL or an id', () => {
    for (const key of counts.ours.labelSets) {
      expect(key).not.toMatch(/url=|http:\/\//);
      expect(key).not.toMatch(/k6-item-\d|k6-consistency-\d|\/d\d/);
    }
  });

  it('stays bounded even for a request the script forgot to name (url and name are not labels)', () => {
    expect(counts.oursUnnamed.requestLabelSets.size).toBeLessThan(50);
  });
});

describe('the steady profile under continuous load', () => {
  const profile = loadProfile('steady');
  const { traffic, consistency } = profile.options.scenarios;
  const runSeconds = Math.max(scenarioSeconds(traffic!), scenarioSeconds(consistency!));
  const runsPerHour = 3600 / runSeconds;
  const counts = new Comparison(profile, true);

  it("writes no new series as the load goes on, where k6's default tags would for every request left unnamed", () => {
    run(profile, TRAFFIC_ITERATIONS, CONSISTENCY_ITERATIONS, counts);
    const first = new Set(counts.ours.series);
    const firstUnnamed = counts.k6DefaultsUnnamed!.series.size;
    report.push(
      `steady, 10,000 iterations, request label sets: ${counts.ours.requestLabelSets.size} ` +
        `(k6 defaults: ${counts.k6Defaults!.requestLabelSets.size}; ` +
        `k6 defaults with unnamed requests: ${counts.k6DefaultsUnnamed!.requestLabelSets.size})`,
    );
    // ...where k6's default tags label each unnamed request with its URL.
    expect(counts.k6DefaultsUnnamed!.requestLabelSets.size).toBeGreaterThan(500);
    // With its requests named, k6 1.3 sets url to the name: the defaults add a label, not label sets.
    expect(counts.k6Defaults!.requestLabelSets.size).toBe(counts.ours.requestLabelSets.size);

    run(profile, TRAFFIC_ITERATIONS, CONSISTENCY_ITERATIONS, counts);
    expect(counts.ours.series).toEqual(first);
    expect(counts.k6DefaultsUnnamed!.series.size).toBeGreaterThan(firstUnnamed);
    // Every run of the Job carries the same testid, so the series of one run are those of an hour.
    expect(first.size).toBeLessThan(1_000);
  }, 120_000);

  // K6_SERIES_REPORT=1 also runs a whole hour of the steady profile (about 320,000 iterations)
  // and prints the numbers docs/kubernetes.md quotes.
  if (!process.env['K6_SERIES_REPORT']) return;
  it('reports the series of a whole hour', () => {
    const hour = new Comparison(profile, true);
    const trafficPerHour = Math.round(scenarioIterations(traffic!) * runsPerHour);
    const consistencyPerHour = Math.round(scenarioIterations(consistency!) * runsPerHour);
    run(profile, trafficPerHour, consistencyPerHour, hour);
    expect(hour.ours.series.size).toBeLessThan(1_000);
    report.push(
      `steady, one hour (${trafficPerHour} traffic + ${consistencyPerHour} consistency iterations, ` +
        `${runsPerHour.toFixed(1)} runs of ${runSeconds} s): series ${hour.ours.series.size} ` +
        `(k6 defaults: ${hour.k6Defaults!.series.size}; k6 defaults with unnamed requests: ` +
        `${hour.k6DefaultsUnnamed!.series.size} from ${hour.k6DefaultsUnnamed!.requestLabelSets.size} request label sets); ` +
        `trend stats ${TREND_STATS.join(',')}`,
    );
  }, 600_000);
});

afterAll(() => {
  if (process.env['K6_SERIES_REPORT']) process.stdout.write(`\n${report.join('\n')}\n`);
});
