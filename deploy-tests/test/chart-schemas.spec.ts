import { ChartUnderTest, one, validateObjects, type K8sObject, type Validation } from '../src';

const failing = (results: Validation[]) =>
  results
    .filter((result) => result.errors.length > 0)
    .map(({ kind, name, errors }) => ({ kind, name, errors }));

/**
 * Strict schemas: a field the kind does not declare is an error naming its path, for built-in
 * kinds and for the Prometheus Operator's, in our templates and in the stand-in subcharts alike.
 * (chart-render.spec.ts validates every values variant with the same check.)
 */
describe('strict schemas of the rendered chart', () => {
  let chart: ChartUnderTest;
  let rendered: K8sObject[];
  beforeAll(async () => {
    chart = ChartUnderTest.prepare();
    rendered = await chart.render();
  });
  afterAll(() => chart.dispose());

  /** A copy of the default render with one object changed by `change`. */
  const renderedWith = (kind: string, name: string, change: (object: K8sObject) => void): K8sObject[] => {
    const objects = structuredClone(rendered);
    change(one(objects, kind, name));
    return objects;
  };
  const rename = (holder: Record<string, unknown>, from: string, to: string) => {
    expect(holder).toHaveProperty([from]);
    holder[to] = holder[from];
    delete holder[from];
  };

  it('validates the stand-in subcharts objects too, and finds the default render clean', async () => {
    const results = await validateObjects(rendered);
    const validated = results.map(({ kind, name }) => `${kind}/${name}`);
    expect(validated).toEqual(
      expect.arrayContaining([
        'Prometheus/clustache-kube-prometheus-prometheus',
        'Alertmanager/clustache-kube-prometheus-alertmanager',
        'Service/clustache-grafana',
        'ServiceMonitor/clustache-valkey',
        'Service/clustache-valkey-metrics',
      ]),
    );
    expect(failing(results)).toEqual([]);
  });

  it.each([
    {
      misspelt: 'imagePullPolice',
      kind: 'Deployment',
      name: 'clustache-api',
      change: (deployment: K8sObject) =>
        rename(deployment.spec.template.spec.containers[0], 'imagePullPolicy', 'imagePullPolice'),
      field: 'spec.template.spec.containers[0].imagePullPolice',
    },
    {
      misspelt: 'requets',
      kind: 'Deployment',
      name: 'clustache-api',
      change: (deployment: K8sObject) =>
        rename(deployment.spec.template.spec.containers[0].resources, 'requests', 'requets'),
      field: 'spec.template.spec.containers[0].resources.requets',
    },
    {
      misspelt: 'relabellings',
      kind: 'ServiceMonitor',
      name: 'clustache-valkey',
      change: (monitor: K8sObject) => rename(monitor.spec.endpoints[0], 'relabelings', 'relabellings'),
      field: 'spec.endpoints[0].relabellings',
    },
    {
      misspelt: 'lables in the embedded pod template',
      kind: 'Deployment',
      name: 'clustache-api',
      change: (deployment: K8sObject) => rename(deployment.spec.template.metadata, 'labels', 'lables'),
      field: 'spec.template.metadata.lables',
    },
    {
      misspelt: 'storageClasName in the Prometheus volume claim template',
      kind: 'Prometheus',
      name: 'clustache-kube-prometheus-prometheus',
      change: (prometheus: K8sObject) => {
        prometheus.spec.storage.volumeClaimTemplate.spec.storageClasName = 'hostpath';
      },
      field: 'spec.storage.volumeClaimTemplate.spec.storageClasName',
    },
  ])('rejects a misspelt $misspelt, naming the field', async ({ kind, name, change, field }) => {
    const results = await validateObjects(renderedWith(kind, name, change));
    expect(failing(results)).toEqual([{ kind, name, errors: [`unknown field "${field}"`] }]);
  });

  it('rejects misspellings that come in through values passed straight to the objects', async () => {
    const objects = await chart.render({
      set: {
        'api.securityContext.readOnlyRootFilesytem': 'true',
        'valkey.metrics.serviceMonitor.relabelings[0].targetLable': 'job',
      },
    });
    const errors = failing(await validateObjects(objects)).flatMap((result) =>
      result.errors.map((error) => `${result.kind}/${result.name}: ${error}`),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'Deployment/clustache-api: unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem"',
        'ServiceMonitor/clustache-valkey: unknown field "spec.endpoints[0].relabelings[0].targetLable"',
      ]),
    );
    expect(errors.filter((error) => error.includes('unknown field'))).toHaveLength(2);
  });
});

describe('the schema check itself', () => {
  it('reports a wrongly typed field and a kind it has no schema for', async () => {
    const results = await validateObjects([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'broken' },
        spec: {
          selector: { matchLabels: { app: 'x' } },
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 'http' }] }] },
          },
        },
      },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    ]);
    expect(results[0]!.errors.join()).toMatch(/containerPort must be integer/);
    expect(results[1]!.errors.join()).toMatch(/no schema for example.com\/v1 Widget/);
  });

  it('keeps maps, int-or-string and free-form fields open while declared objects are closed', async () => {
    const results = await validateObjects([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'open-where-kubernetes-is-open',
          labels: { 'example.com/any-key': 'v', 'app.kubernetes.io/name': 'x' },
          annotations: { 'checksum/config': 'abc', 'any.thing/goes': 'here' },
          // fieldsV1 is free-form (FieldsV1 declares no field); K8sObject's metadata does not list it.
          managedFields: [{ manager: 'helm', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }],
        } as K8sObject['metadata'],
        spec: {
          selector: { matchLabels: { 'example.com/any-key': 'v' } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
          template: {
            metadata: { labels: { 'example.com/any-key': 'v' }, annotations: { 'free/form': 'yes' } },
            spec: {
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              containers: [
                {
                  name: 'c',
                  image: 'i',
                  resources: { requests: { cpu: '100m', memory: 64 }, limits: { 'example.com/gpu': 1 } },
                  readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
                  livenessProbe: { tcpSocket: { port: 8080 } },
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'rule' },
        spec: {
          groups: [
            {
              name: 'g',
              rules: [{ alert: 'A', expr: 'up == 0', labels: { severity: 'x' }, annotations: { any: 'y' } }],
            },
          ],
        },
      },
    ]);
    expect(failing(results)).toEqual([]);
  });

  it('names every unknown field of an operator kind, not only the first', async () => {
    const results = await validateObjects([
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'rule' },
        spec: {
          groups: [
            { name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m', lables: {}, severty: 'x' }] },
          ],
        },
      },
    ]);
    expect(results[0]!.errors).toEqual([
      'unknown field "spec.groups[0].rules[0].lables"',
      'unknown field "spec.groups[0].rules[0].severty"',
    ]);
  });
});
