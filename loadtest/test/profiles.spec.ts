import { recorder } from './k6-standin/recorder';
import { TestAborted } from './k6-standin/execution';
import { K6_SYSTEM_TAGS } from './k6-series';
import { loadProfile, PROFILE_NAMES, runSetup, scenarioSeconds, seconds, startRun } from './profile-run';

/** System tags whose values have no bound (a URL, an error text, an address, an id). */
const UNBOUNDED = ['url', 'name', 'error', 'ip', 'vu', 'iter', 'ocsp_status'];
/** k6's built-in metrics a threshold may name. */
const BUILTIN_METRICS = [
  'http_req_failed',
  'http_req_duration',
  'http_reqs',
  'checks',
  'iterations',
  'iteration_duration',
];

afterEach(() => jest.useRealTimers());

describe.each(PROFILE_NAMES)('the %s profile', (name) => {
  const profile = loadProfile(name);

  it('keeps only k6 system tags with a few known values: no url, name or error', () => {
    const systemTags = profile.options.systemTags!;
    expect(systemTags).toBeDefined();
    for (const tag of systemTags) expect(K6_SYSTEM_TAGS).toContain(tag);
    for (const tag of UNBOUNDED) expect(systemTags).not.toContain(tag);
    // What the dashboards and thresholds group by stays.
    expect(systemTags).toEqual(expect.arrayContaining(['status', 'method', 'scenario', 'check']));
  });

  it('sets no test-wide tags of its own: the chart passes testid with --tag, which would replace them', () => {
    expect(profile.options.tags).toBeUndefined();
  });

  it('judges a run by thresholds on metrics that exist: failures, p95 below p99, checks and consistency', () => {
    const thresholds = profile.options.thresholds!;
    for (const metric of Object.keys(thresholds)) {
      const known = BUILTIN_METRICS.includes(metric) || recorder.declared.has(metric);
      expect({ metric, known }).toEqual({ metric, known: true });
    }
    expect(thresholds['http_req_failed']).toEqual(['rate<0.01']);
    expect(thresholds['checks']).toEqual(['rate>0.99']);
    expect(thresholds['consistency_within_bound']).toEqual(['rate>0.99']);
    const [p95, p99] = (thresholds['http_req_duration'] as string[]).map((rule) => {
      const match = /^p\((95|99)\)<(\d+)$/.exec(rule);
      expect(match).not.toBeNull();
      return Number(match![2]);
    });
    expect(p95).toBeLessThanOrEqual(p99!);
  });

  it('ends on its own, so the continuous Job starts a fresh k6 run with fresh per-run state', () => {
    for (const [scenarioName, scenario] of Object.entries(profile.options.scenarios)) {
      expect(typeof profile[scenario.exec as 'traffic' | 'consistency']).toBe('function');
      const runs = scenarioSeconds(scenario);
      expect({ scenarioName, ends: runs > 0 && runs <= 2 * 3600 }).toEqual({ scenarioName, ends: true });
    }
    // setup() waits up to 60 s for the API to become ready.
    expect(seconds(profile.options.setupTimeout!)).toBeGreaterThan(60);
  });
});

describe('setup()', () => {
  const profile = loadProfile('smoke');

  it('can run again after a restart: items that exist already (409) are as good as new ones', () => {
    startRun();
    runSetup(profile);
    const created = recorder.emissions.filter((e) => e.kind === 'http' && e.method === 'POST');
    expect(created.length).toBe(500);
    expect(created.every((e) => e.kind === 'http' && e.status === 201)).toBe(true);
    recorder.clear();
    expect(() => runSetup(profile)).not.toThrow();
    const again = recorder.emissions.filter((e) => e.kind === 'http' && e.method === 'POST');
    expect(again.length).toBe(500);
    expect(again.every((e) => e.kind === 'http' && e.status === 409)).toBe(true);
  });

  it('stops the run after 60 s, naming BASE_URL, when the API never becomes ready', () => {
    startRun();
    recorder.respond = () => ({ status: 503 });
    const started = Date.now();
    let stopped: unknown;
    try {
      runSetup(profile);
    } catch (error) {
      stopped = error;
    }
    expect(stopped).toBeInstanceOf(TestAborted);
    expect((stopped as Error).message).toBe(
      'http://localhost:3000/ready answered 503; is the API running and BASE_URL right?',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(60_000);
  });
});
