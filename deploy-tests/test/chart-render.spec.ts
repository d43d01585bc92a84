import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChartUnderTest, CHART_DIR, validateObjects, type RenderOptions } from '../src';

/** The defaults, Docker Desktop's values, and every ci/<feature>-values.yaml. */
const VARIANTS: [string, RenderOptions][] = [
  ['the defaults', {}],
  ['values-local.yaml', { values: ['values-local.yaml'] }],
  ...readdirSync(join(CHART_DIR, 'ci'))
    .filter((file) => file.endsWith('-values.yaml'))
    .map((file): [string, RenderOptions] => [`ci/${file}`, { values: [`ci/${file}`] }]),
];

describe('charts/clustache renders with real helm', () => {
  let chart: ChartUnderTest;
  beforeAll(() => (chart = ChartUnderTest.prepare()));
  afterAll(() => chart.dispose());

  it('has a ci values file for each non-default feature', () => {
    expect(VARIANTS.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'ci/ingress-values.yaml',
        'ci/autoscaling-values.yaml',
        'ci/loadtest-once-values.yaml',
        'ci/external-redis-values.yaml',
        'ci/rtb-values.yaml',
        'ci/notifications-values.yaml',
      ]),
    );
  });

  describe.each(VARIANTS)('with %s', (_name, options) => {
    it('passes helm lint --strict', async () => {
      const result = await chart.lint(options);
      expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
      expect(result.code).toBe(0);
    });

    it('renders objects that each validate strictly (unknown fields rejected) against the schema of their kind', async () => {
      const objects = await chart.render(options);
      expect(objects.length).toBeGreaterThan(5);
      const results = await validateObjects(objects);
      const invalid = results.filter((result) => result.errors.length > 0);
      expect(invalid).toEqual([]);
      expect(results).toHaveLength(objects.length);
    });
  });

  it('fails to render, naming the value, when a value breaks values.schema.json', async () => {
    const wrongType = await chart.template({ set: { 'api.replicaCount': 'three' } });
    expect(wrongType.code).not.toBe(0);
    expect(wrongType.stderr).toMatch(/replicaCount/);

    const unknownKey = await chart.template({ set: { 'api.replicas': '3' } });
    expect(unknownKey.code).not.toBe(0);
    expect(unknownKey.stderr).toMatch(/replicas/);

    const badProfile = await chart.template({
      set: { 'loadtest.enabled': 'true', 'loadtest.profile': 'stress' },
    });
    expect(badProfile.code).not.toBe(0);
    expect(badProfile.stderr).toMatch(/profile/);
  });

  it('refuses settings that cannot work, saying what to change', async () => {
    const noRedis = await chart.template({
      values: ['ci/external-redis-values.yaml'],
      set: { 'api.redisUrl': '' },
    });
    expect(noRedis.stderr).toContain('api.redisUrl is required when redis.enabled is false');

    const noReceiver = await chart.template({
      set: {
        'loadtest.enabled': 'true',
        'kube-prometheus-stack.prometheus.prometheusSpec.enableRemoteWriteReceiver': 'false',
      },
    });
    expect(noReceiver.stderr).toContain('enableRemoteWriteReceiver=true');

    const shortToken = await chart.template({ set: { 'api.adminToken.value': 'short' } });
    expect(shortToken.code).not.toBe(0);
  });
});
