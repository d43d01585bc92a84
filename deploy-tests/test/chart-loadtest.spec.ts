import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ChartUnderTest, ofKind, one, REPO_ROOT, type K8sObject } from '../src';

const scripts = readdirSync(join(REPO_ROOT, 'loadtest'))
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
  .sort();

describe('the k6 load Job', () => {
  let chart: ChartUnderTest;
  let local: K8sObject[];
  beforeAll(async () => {
    chart = ChartUnderTest.prepare();
    local = await chart.render({ values: ['values-local.yaml'] });
  });
  afterAll(() => chart.dispose());

  const k6 = (objects: K8sObject[]) => one(objects, 'Job').spec.template.spec.containers[0];
  const env = (objects: K8sObject[], name: string) =>
    k6(objects).env.find((variable: { name: string }) => variable.name === name);

  it('is off by default and on, continuously, in values-local.yaml', async () => {
    expect(ofKind(await chart.render(), 'Job')).toEqual([]);
    const job = one(local, 'Job');
    expect(job.metadata.labels?.['clustache.dev/loadtest-mode']).toBe('continuous');
    expect(k6(local).command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(k6(local).command[2]).toMatch(/^while true; do k6 "\$@"/);
  });

  it('keeps a continuous load running through an OOM kill or a crash: k6 restarts in place, without limit', () => {
    const job = one(local, 'Job');
    // The kubelet restarts the container (crash-loop back-off); every restart counts against
    // backoffLimit, which is therefore the largest a Job takes.
    expect(job.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(job.spec.backoffLimit).toBe(2 ** 31 - 1);
    expect(job.spec.podFailurePolicy).toBeUndefined();
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    // A run that fails (a crossed threshold, a broken script) is followed by the next, after a pause.
    expect(k6(local).command[2]).toMatch(/\|\| \{ echo "k6 exited with \$\?[^"]*"; sleep 10; \}; done$/);
  });

  it('judges a "once" run a single time: k6\'s verdict fails the Job, an eviction is run again', async () => {
    for (const [values, backoffLimit] of [
      [['ci/loadtest-once-values.yaml'], 1],
      [[], 0],
    ] as const) {
      const job = one(
        await chart.render({
          values: [...values],
          set: { 'loadtest.enabled': 'true', 'loadtest.mode': 'once' },
        }),
        'Job',
      );
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      expect(job.spec.backoffLimit).toBe(backoffLimit);
      expect(job.spec.podFailurePolicy.rules).toEqual([
        // k6's exit codes: thresholds crossed, invalid options, script error, test.abort(), marked failed.
        {
          action: 'FailJob',
          onExitCodes: { containerName: 'k6', operator: 'In', values: [99, 104, 107, 108, 110] },
        },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
      ]);
    }
  });

  it('runs once, with a pinned official image, the chosen profile and the test id tag', async () => {
    const once = await chart.render({ values: ['ci/loadtest-once-values.yaml'] });
    const container = k6(once);
    expect(container.image).toMatch(/^grafana\/k6:\d+\.\d+\.\d+$/);
    expect(container.command).toEqual(['k6']);
    expect(container.args).toEqual([
      'run',
      '--tag',
      'testid=ci-smoke',
      '--out',
      'experimental-prometheus-rw',
      '/scripts/smoke.ts',
    ]);
    expect(one(once, 'Job').spec.ttlSecondsAfterFinished).toBe(600);
  });

  it('carries exactly the loadtest/ scripts in its ConfigMap, mounted where k6 reads them', () => {
    const configMap = one(local, 'ConfigMap', 'clustache-loadtest-scripts');
    expect(Object.keys(configMap.data).sort()).toEqual(scripts);
    for (const file of scripts)
      expect(configMap.data[file]).toBe(readFileSync(join(REPO_ROOT, 'loadtest', file), 'utf8'));
    const volume = one(local, 'Job').spec.template.spec.volumes.find(
      (v: { name: string }) => v.name === 'scripts',
    );
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    const mount = k6(local).volumeMounts.find((m: { name: string }) => m.name === 'scripts');
    expect(mount.mountPath).toBe('/scripts');
    expect(k6(local).args.at(-1)).toBe('/scripts/steady.ts');
    expect(scripts).toContain('steady.ts');
  });

  it("resolves every relative import of the scripts to a file the Job mounts, the traffic mix's included", () => {
    const spec = one(local, 'Job').spec.template.spec;
    const mounted = new Map<string, string>();
    for (const mount of k6(local).volumeMounts as { name: string; mountPath: string }[]) {
      const volume = spec.volumes.find((v: { name: string }) => v.name === mount.name);
      if (volume.configMap === undefined) continue;
      const configMap = one(local, 'ConfigMap', volume.configMap.name);
      for (const [key, content] of Object.entries(configMap.data as Record<string, string>))
        mounted.set(posix.join(mount.mountPath, key), content);
    }
    const imports: string[] = [];
    for (const [path, content] of mounted) {
      for (const [, specifier] of content.matchAll(/^(?:import|export)\b[^'"]*?from '(\.[^']+)'/gm))
        imports.push(posix.join(posix.dirname(path), specifier!));
    }
    expect(imports).toEqual(
      expect.arrayContaining(['/libs/traffic-mix/src/traffic-mix.ts', '/libs/traffic-mix/src/zipf-keys.ts']),
    );
    for (const target of imports)
      expect({ target, mounted: mounted.has(target) }).toEqual({ target, mounted: true });
    expect(mounted.get('/libs/traffic-mix/src/traffic-mix.ts')).toBe(
      readFileSync(join(REPO_ROOT, 'libs', 'traffic-mix', 'src', 'traffic-mix.ts'), 'utf8'),
    );
  });

  it('writes to the Prometheus Service the dependency creates, whose remote-write receiver is on', () => {
    const url = new URL(env(local, 'K6_PROMETHEUS_RW_SERVER_URL').value);
    const service = one(local, 'Service', 'clustache-kube-prometheus-prometheus');
    expect(url.hostname).toBe(`${service.metadata.name}.clustache.svc`);
    expect(Number(url.port)).toBe(service.spec.ports[0].port);
    expect(url.pathname).toBe('/api/v1/write');
    expect(one(local, 'Prometheus').spec.enableRemoteWriteReceiver).toBe(true);
    expect(k6(local).args).toEqual(expect.arrayContaining(['--out', 'experimental-prometheus-rw']));
    expect(env(local, 'K6_PROMETHEUS_RW_TREND_STATS').value).toContain('p(95)');
  });

  it('follows the Prometheus Service name when the release name changes', async () => {
    const other = await chart.render({
      release: 'clustache-staging-eu-west',
      namespace: 'load',
      values: ['values-local.yaml'],
    });
    const prometheusService = ofKind(other, 'Service').find(
      (s) => s.metadata.labels?.app === 'kube-prometheus-stack-prometheus',
    )!;
    expect(new URL(env(other, 'K6_PROMETHEUS_RW_SERVER_URL').value).hostname).toBe(
      `${prometheusService.metadata.name}.load.svc`,
    );
  });

  it('targets the API Service with the admin token the API uses', () => {
    const api = one(local, 'Service', 'clustache-api');
    expect(env(local, 'BASE_URL').value).toBe(
      `http://${api.metadata.name}.clustache.svc:${api.spec.ports[0].port}`,
    );
    const apiToken = one(local, 'Deployment', 'clustache-api').spec.template.spec.containers[0].env.find(
      (v: { name: string }) => v.name === 'ADMIN_TOKEN',
    );
    expect(env(local, 'ADMIN_TOKEN').valueFrom).toEqual(apiToken.valueFrom);
  });
});
