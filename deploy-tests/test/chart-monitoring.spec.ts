import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ChartUnderTest, ofKind, one, REPO_ROOT, selects, type K8sObject } from '../src';

const sourceFiles = (dir: string, accept: (name: string) => boolean): string[] =>
  existsSync(join(REPO_ROOT, dir)) ? readdirSync(join(REPO_ROOT, dir)).filter(accept).sort() : [];
const dashboards = sourceFiles(
  'dashboards',
  (name) =>
    name.endsWith('.json') &&
    name !== 'project.json' &&
    !name.startsWith('tsconfig') &&
    name !== 'package.json',
);
const ruleFiles = sourceFiles(
  'alerting/rules',
  (name) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name),
);
const alertmanagerFile = join(REPO_ROOT, 'alerting', 'alertmanager', 'alertmanager.yml');

describe('the monitoring objects reach Prometheus, Grafana and Alertmanager', () => {
  let chart: ChartUnderTest;
  let objects: K8sObject[];
  beforeAll(async () => {
    chart = ChartUnderTest.prepare();
    objects = await chart.render();
  });
  afterAll(() => chart.dispose());

  const prometheus = () => one(objects, 'Prometheus');
  const namespaceOf = (object: K8sObject) => object.metadata.namespace ?? 'clustache';

  it('has a ServiceMonitor for the API that selects the API Service and scrapes its port at /metrics as job clustache-api', () => {
    const monitor = one(objects, 'ServiceMonitor', 'clustache-api');
    const service = one(objects, 'Service', 'clustache-api');
    expect(selects(monitor.spec.selector, service.metadata.labels)).toBe(true);
    expect(monitor.spec.namespaceSelector.matchNames).toContain(namespaceOf(service));
    const endpoint = monitor.spec.endpoints[0];
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(endpoint.port);
    expect(endpoint.path).toBe('/metrics');
    expect(endpoint.relabelings).toContainEqual({
      action: 'replace',
      targetLabel: 'job',
      replacement: 'clustache-api',
    });
    // The selector must not also pick other Services (Valkey, Prometheus...).
    const picked = ofKind(objects, 'Service').filter((s) =>
      selects(monitor.spec.selector, s.metadata.labels),
    );
    expect(picked.map((s) => s.metadata.name)).toEqual(['clustache-api']);
  });

  it('has Valkey export its metrics through a ServiceMonitor on the exporter Service, as job redis-exporter', () => {
    const monitor = one(objects, 'ServiceMonitor', 'clustache-valkey');
    const exporter = one(objects, 'Service', 'clustache-valkey-metrics');
    expect(selects(monitor.spec.selector, exporter.metadata.labels)).toBe(true);
    expect(exporter.spec.ports.map((p: { name: string }) => p.name)).toContain(
      monitor.spec.endpoints[0].port,
    );
    expect(monitor.spec.endpoints[0].relabelings).toContainEqual({
      action: 'replace',
      targetLabel: 'job',
      replacement: 'redis-exporter',
    });
  });

  it('lets Prometheus select every ServiceMonitor and PrometheusRule of the release', () => {
    const spec = prometheus().spec;
    const monitors = ofKind(objects, 'ServiceMonitor');
    const rules = ofKind(objects, 'PrometheusRule');
    expect(monitors.length).toBeGreaterThanOrEqual(2);
    for (const monitor of monitors) {
      expect({
        name: monitor.metadata.name,
        selected: selects(spec.serviceMonitorSelector, monitor.metadata.labels),
      }).toEqual({ name: monitor.metadata.name, selected: true });
    }
    for (const rule of rules) expect(selects(spec.ruleSelector, rule.metadata.labels)).toBe(true);
    expect(spec.serviceMonitorNamespaceSelector).toEqual({});
    expect(spec.ruleNamespaceSelector).toEqual({});
  });

  it('still has Prometheus select our own ServiceMonitor and rules under the release-label default', async () => {
    const strict = await chart.render({
      set: {
        'kube-prometheus-stack.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues': 'true',
        'kube-prometheus-stack.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues': 'true',
      },
    });
    const spec = one(strict, 'Prometheus').spec;
    expect(spec.serviceMonitorSelector).toEqual({ matchLabels: { release: 'clustache' } });
    expect(
      selects(spec.serviceMonitorSelector, one(strict, 'ServiceMonitor', 'clustache-api').metadata.labels),
    ).toBe(true);
    for (const rule of ofKind(strict, 'PrometheusRule'))
      expect(selects(spec.ruleSelector, rule.metadata.labels)).toBe(true);
  });

  it('makes one PrometheusRule per rules file whose spec is that file, the one promtool tests', () => {
    const rendered = ofKind(objects, 'PrometheusRule');
    expect(rendered.map((rule) => rule.metadata.annotations?.['clustache.dev/source'])).toEqual(
      ruleFiles.map((file) => `alerting/rules/${file}`),
    );
    for (const file of ruleFiles) {
      const rule = rendered.find(
        (r) => r.metadata.annotations?.['clustache.dev/source'] === `alerting/rules/${file}`,
      )!;
      const source = parse(readFileSync(join(REPO_ROOT, 'alerting', 'rules', file), 'utf8'));
      expect(rule.spec).toEqual(source);
      expect(rule.spec.groups.length).toBeGreaterThan(0);
    }
  });

  it('makes one ConfigMap per dashboard, byte for byte, labelled for the Grafana sidecar', () => {
    const sidecar = one(objects, 'ConfigMap', 'clustache-grafana-standin-sidecar').data;
    const rendered = ofKind(objects, 'ConfigMap').filter(
      (map) => map.metadata.labels?.[sidecar.LABEL] === sidecar.LABEL_VALUE,
    );
    expect(rendered.map((map) => Object.keys(map.data)[0]).sort()).toEqual(dashboards);
    for (const file of dashboards) {
      const map = rendered.find((m) => Object.keys(m.data)[0] === file)!;
      expect(map.data[file]).toBe(readFileSync(join(REPO_ROOT, 'dashboards', file), 'utf8'));
    }
    expect(sidecar.ENABLED).toBe('true');
  });

  it("gives Alertmanager alertmanager.yml's routes and inhibitions in the Secret its configSecret names, with receivers from `notifications`", () => {
    const alertmanager = one(objects, 'Alertmanager');
    const secret = one(objects, 'Secret', alertmanager.spec.configSecret);
    const config = parse(Buffer.from(secret.data['alertmanager.yaml'], 'base64').toString());
    const source = parse(readFileSync(alertmanagerFile, 'utf8'));
    expect({ route: config.route, inhibit_rules: config.inhibit_rules, global: config.global }).toEqual({
      route: source.route,
      inhibit_rules: source.inhibit_rules,
      global: source.global,
    });
    // Nothing is turned on by default: the receivers exist, with nowhere to send.
    expect(config.receivers).toEqual([
      { name: 'null' },
      { name: 'clustache' },
      { name: 'clustache-critical' },
    ]);
    // kube-prometheus-stack's own generated config is off, so ours is the only one.
    expect(ofKind(objects, 'Secret').filter((s) => s.metadata.name.startsWith('alertmanager-'))).toEqual([]);
  });

  it('keeps Redis, Prometheus, Alertmanager and Grafana data on persistent volumes (seed 002)', () => {
    const claims = ofKind(objects, 'PersistentVolumeClaim').map((claim) => claim.metadata.name);
    expect(claims).toEqual(expect.arrayContaining(['clustache-valkey-db', 'clustache-grafana']));
    expect(prometheus().spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe('10Gi');
    expect(
      one(objects, 'Alertmanager').spec.storage.volumeClaimTemplate.spec.resources.requests.storage,
    ).toBe('1Gi');
  });
});
