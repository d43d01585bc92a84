import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChartUnderTest, ofKind, one, REPO_ROOT, selects, validateObjects, type K8sObject } from '../src';

/** The RTB workload's components; every RTB object carries one of them. */
const RTB_COMPONENTS = ['rtb-api', 'rtb-aggregator'];
const isRtb = (object: K8sObject) =>
  RTB_COMPONENTS.includes(object.metadata.labels?.['app.kubernetes.io/component'] ?? '');

/** The `job="..."` values a rules file or dashboard selects RTB series by. */
const rtbJobsIn = (path: string): string[] => [
  ...new Set(
    [...readFileSync(join(REPO_ROOT, path), 'utf8').matchAll(/job=\\?"(clustache-rtb[\w-]*)\\?"/g)].map(
      (match) => match[1]!,
    ),
  ),
];

describe('the RTB workload (rtb.enabled)', () => {
  let chart: ChartUnderTest;
  let objects: K8sObject[];
  beforeAll(async () => {
    chart = ChartUnderTest.prepare();
    objects = await chart.render({ set: { 'rtb.enabled': 'true' } });
  });
  afterAll(() => chart.dispose());

  const deployment = (role: string) => one(objects, 'Deployment', `clustache-rtb-${role}`);
  const container = (role: string) => deployment(role).spec.template.spec.containers[0];
  const env = (role: string, name: string) =>
    container(role).env.find((variable: { name: string }) => variable.name === name);

  it('is absent by default and in values-local.yaml', async () => {
    expect((await chart.render()).filter(isRtb)).toEqual([]);
    expect((await chart.render({ values: ['values-local.yaml'] })).filter(isRtb)).toEqual([]);
  });

  it('renders an rtb-api and an rtb-aggregator, each with a Deployment, Service and ServiceMonitor, all schema-valid', async () => {
    const rtb = objects.filter(isRtb);
    expect(rtb.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual([
      'Deployment/clustache-rtb-aggregator',
      'Deployment/clustache-rtb-api',
      'Service/clustache-rtb-aggregator',
      'Service/clustache-rtb-api',
      'ServiceMonitor/clustache-rtb-aggregator',
      'ServiceMonitor/clustache-rtb-api',
    ]);
    const invalid = (await validateObjects(objects)).filter((result) => result.errors.length > 0);
    expect(invalid).toEqual([]);
  });

  it('runs each role of the one rtb image, 2 replicas each by default', () => {
    for (const role of ['api', 'aggregator']) {
      expect(container(role).image).toBe('clustache/rtb:0.1.0');
      expect(env(role, 'RTB_ROLE').value).toBe(role);
      expect(deployment(role).spec.replicas).toBe(2);
    }
    expect(env('aggregator', 'RTB_AGGREGATORS').value).toBe('1');
    expect(env('api', 'RTB_AGGREGATORS')).toBeUndefined();
  });

  it('names every process by its pod (stable consumer names) and puts both on the API’s Redis', () => {
    const apiRedis = one(objects, 'Deployment', 'clustache-api').spec.template.spec.containers[0].env.find(
      (v: { name: string }) => v.name === 'REDIS_URL',
    ).value;
    for (const role of ['api', 'aggregator']) {
      expect(env(role, 'INSTANCE_ID').valueFrom.fieldRef.fieldPath).toBe('metadata.name');
      expect(env(role, 'REDIS_URL').value).toBe(apiRedis);
    }
  });

  it('probes /health and /ready on the port it listens on, with the API’s resources style and security context', () => {
    const api = one(objects, 'Deployment', 'clustache-api').spec.template.spec;
    for (const role of ['api', 'aggregator']) {
      const spec = deployment(role).spec.template.spec;
      expect(container(role).readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(container(role).livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container(role).startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      const port = container(role).ports.find((p: { name: string }) => p.name === 'http').containerPort;
      expect(env(role, 'PORT').value).toBe(String(port));
      expect(container(role).resources.requests).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container(role).resources.limits.memory).toEqual(expect.any(String));
      expect(spec.securityContext).toEqual(api.securityContext);
      expect(container(role).securityContext).toEqual(api.containers[0].securityContext);
    }
  });

  it('selects only its own pods, and the cache API selects none of them', () => {
    const cacheApi = one(objects, 'Deployment', 'clustache-api').spec.selector;
    for (const role of ['api', 'aggregator']) {
      const podLabels = deployment(role).spec.template.metadata.labels;
      expect(selects(deployment(role).spec.selector, podLabels)).toBe(true);
      expect(
        selects({ matchLabels: one(objects, 'Service', `clustache-rtb-${role}`).spec.selector }, podLabels),
      ).toBe(true);
      expect(selects(cacheApi, podLabels)).toBe(false);
      const other = role === 'api' ? 'aggregator' : 'api';
      expect(selects(deployment(role).spec.selector, deployment(other).spec.template.metadata.labels)).toBe(
        false,
      );
    }
    expect(one(objects, 'Service', 'clustache-rtb-aggregator').spec.clusterIP).toBe('None');
  });

  it('is scraped as the jobs the RTB rules and dashboard select on, each ServiceMonitor picking its own Service', () => {
    const jobs: string[] = [];
    for (const role of ['api', 'aggregator']) {
      const monitor = one(objects, 'ServiceMonitor', `clustache-rtb-${role}`);
      const picked = ofKind(objects, 'Service').filter((s) =>
        selects(monitor.spec.selector, s.metadata.labels),
      );
      expect(picked.map((s) => s.metadata.name)).toEqual([`clustache-rtb-${role}`]);
      expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
      jobs.push(monitor.spec.endpoints[0].relabelings[0].replacement);
    }
    expect(jobs).toEqual(['clustache-rtb-api', 'clustache-rtb-aggregator']);
    for (const file of ['alerting/rules/rtb.rules.yml', 'dashboards/clustache-rtb.json']) {
      expect({ file, jobs: rtbJobsIn(file).sort() }).toEqual({ file, jobs: [...jobs].sort() });
    }
  });

  it('follows api.redisUrl to an external Redis, or its own rtb.redisUrl', async () => {
    const external = await chart.render({
      values: ['ci/external-redis-values.yaml'],
      set: { 'rtb.enabled': 'true' },
    });
    const redisOf = (rendered: K8sObject[]) =>
      one(rendered, 'Deployment', 'clustache-rtb-aggregator').spec.template.spec.containers[0].env.find(
        (v: { name: string }) => v.name === 'REDIS_URL',
      ).value;
    expect(redisOf(external)).toBe('redis://redis.shared.svc:6379');
    const own = await chart.render({
      set: { 'rtb.enabled': 'true', 'rtb.redisUrl': 'redis://rtb-redis:6379' },
    });
    expect(redisOf(own)).toBe('redis://rtb-redis:6379');
  });

  it('refuses RTB values that break values.schema.json, naming them', async () => {
    const zero = await chart.template({
      set: { 'rtb.enabled': 'true', 'rtb.aggregator.aggregatorsPerPod': '0' },
    });
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toMatch(/aggregatorsPerPod/);
    const few = await chart.template({ set: { 'rtb.profileTags': '100' } });
    expect(few.code).not.toBe(0);
    expect(few.stderr).toMatch(/profileTags/);
    const unknown = await chart.template({ set: { 'rtb.aggregators': '2' } });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/aggregators/);
  });

  it('tells how to reach the RTB API in NOTES, with names that exist', async () => {
    const result = await chart.dryRunInstall({ set: { 'rtb.enabled': 'true' } });
    expect(result.code).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf('NOTES:'));
    expect(notes).toContain('rollout status deployment/clustache-rtb-aggregator');
    expect(notes).toContain('port-forward service/clustache-rtb-api 8082:80');
  });
});
