import { ChartUnderTest, ofKind, one, selects, type K8sObject } from '../src';

describe('the API objects fit together', () => {
  let chart: ChartUnderTest;
  let objects: K8sObject[];
  beforeAll(async () => {
    chart = ChartUnderTest.prepare();
    objects = await chart.render();
  });
  afterAll(() => chart.dispose());

  const deployment = () => one(objects, 'Deployment', 'clustache-api');
  const container = () => deployment().spec.template.spec.containers[0];
  const env = (name: string) => container().env.find((variable: { name: string }) => variable.name === name);

  it('runs 3 replicas with a rolling update that never drops below them, resources and a locked-down security context', () => {
    const spec = deployment().spec;
    expect(spec.replicas).toBe(3);
    expect(spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(container().resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(container().resources.limits.memory).toBe('256Mi');
    expect(spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container().securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('selects its own pods: Deployment, Service, PodDisruptionBudget and anti-affinity selectors match the pod labels', () => {
    const podLabels = deployment().spec.template.metadata.labels;
    expect(selects(deployment().spec.selector, podLabels)).toBe(true);
    expect(selects({ matchLabels: one(objects, 'Service', 'clustache-api').spec.selector }, podLabels)).toBe(
      true,
    );
    expect(selects(one(objects, 'PodDisruptionBudget', 'clustache-api').spec.selector, podLabels)).toBe(true);
    const antiAffinity =
      deployment().spec.template.spec.affinity.podAntiAffinity
        .preferredDuringSchedulingIgnoredDuringExecution[0];
    expect(selects(antiAffinity.podAffinityTerm.labelSelector, podLabels)).toBe(true);
    // ...and nothing else's: the k6 pods are another component.
    const otherPods = objects.filter((o) => o.kind === 'Job').map((job) => job.spec.template.metadata.labels);
    for (const labels of otherPods) expect(selects(deployment().spec.selector, labels)).toBe(false);
  });

  it('wires the Service to the container port the API listens on (PORT)', () => {
    const port = container().ports.find((p: { name: string }) => p.name === 'http');
    expect(port.containerPort).toBe(3000);
    expect(env('PORT').value).toBe(String(port.containerPort));
    const servicePort = one(objects, 'Service', 'clustache-api').spec.ports[0];
    expect(servicePort).toMatchObject({ name: 'http', port: 80, targetPort: 'http' });
  });

  it('probes readiness on /ready and liveness on /health, on the named port the API listens on', () => {
    expect(container().readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(container().livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container().startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
  });

  it('points REDIS_URL at the Valkey Service the dependency creates', () => {
    const valkey = one(objects, 'Service', 'clustache-valkey');
    const url = new URL(env('REDIS_URL').value);
    expect(url.protocol).toBe('redis:');
    expect(url.hostname).toBe(`${valkey.metadata.name}.clustache.svc`);
    expect(Number(url.port)).toBe(valkey.spec.ports.find((p: { name: string }) => p.name === 'tcp').port);
  });

  it('names each replica by its pod and reads ADMIN_TOKEN from the rendered Secret', () => {
    expect(env('INSTANCE_ID').valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    const ref = env('ADMIN_TOKEN').valueFrom.secretKeyRef;
    const secret = one(objects, 'Secret', ref.name);
    const token = Buffer.from(secret.data[ref.key], 'base64').toString();
    expect(token).toMatch(/^\S{8,}$/);
  });

  it('uses the given admin token, or an existing Secret instead of rendering one', async () => {
    const given = await chart.render({ set: { 'api.adminToken.value': 'correct-horse-battery' } });
    expect(
      Buffer.from(one(given, 'Secret', 'clustache-api-admin-token').data['admin-token'], 'base64').toString(),
    ).toBe('correct-horse-battery');

    const existing = await chart.render({ values: ['ci/external-redis-values.yaml'] });
    expect(ofKind(existing, 'Secret').filter((s) => s.metadata.name === 'clustache-api-admin-token')).toEqual(
      [],
    );
    const ref = one(existing, 'Deployment').spec.template.spec.containers[0].env.find(
      (v: { name: string }) => v.name === 'ADMIN_TOKEN',
    );
    expect(ref.valueFrom.secretKeyRef).toEqual({ name: 'clustache-admin', key: 'token' });
    const redisUrl = one(existing, 'Deployment').spec.template.spec.containers[0].env.find(
      (v: { name: string }) => v.name === 'REDIS_URL',
    );
    expect(redisUrl.value).toBe('redis://redis.shared.svc:6379');
  });

  it('lets a HorizontalPodAutoscaler own the replica count when autoscaling is on', async () => {
    const scaled = await chart.render({ values: ['ci/autoscaling-values.yaml'] });
    const hpa = one(scaled, 'HorizontalPodAutoscaler', 'clustache-api');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'clustache-api',
    });
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
    expect(one(scaled, 'Deployment', 'clustache-api').spec.replicas).toBeUndefined();
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('routes the optional Ingress to the API Service port', async () => {
    const exposed = await chart.render({ values: ['ci/ingress-values.yaml'] });
    const ingress = one(exposed, 'Ingress', 'clustache-api');
    const service = one(exposed, 'Service', 'clustache-api');
    expect(service.spec.type).toBe('LoadBalancer');
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(backend.port.name);
    expect(ingress.spec.tls[0].hosts).toEqual(['clustache.example.test']);
    expect(ofKind(objects, 'Ingress')).toEqual([]);
  });

  it('keeps resource names consistent whatever the release is called', async () => {
    const other = await chart.render({ release: 'shop', namespace: 'cache' });
    const redisUrl = one(other, 'Deployment', 'shop-clustache-api').spec.template.spec.containers[0].env.find(
      (v: { name: string }) => v.name === 'REDIS_URL',
    );
    expect(redisUrl.value).toBe(
      `redis://${one(other, 'Service', 'shop-valkey').metadata.name}.cache.svc:6379`,
    );
  });

  it('tells the port-forward commands and the Grafana login in NOTES, with names that exist', async () => {
    const result = await chart.dryRunInstall({ values: ['values-local.yaml'] });
    expect(result.code).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf('NOTES:'));
    const services = new Set(
      ofKind(await chart.render({ values: ['values-local.yaml'] }), 'Service').map((s) => s.metadata.name),
    );
    const forwarded = [...notes.matchAll(/port-forward service\/(\S+)/g)].map((match) => match[1]!);
    expect(forwarded.length).toBeGreaterThanOrEqual(4);
    for (const name of forwarded) expect(services).toContain(name);
    expect(notes).toContain('port-forward service/clustache-grafana 3000:80');
    expect(notes).toMatch(/Login: user "admin"/);
    expect(notes).toContain("get secret clustache-grafana -o jsonpath='{.data.admin-password}'");
  });
});
