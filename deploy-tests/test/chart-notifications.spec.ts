import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '@clustache/testing';
import { stringify, parse } from 'yaml';
import { ChartUnderTest, ofKind, one, type K8sObject, type RenderOptions } from '../src';

/**
 * What Alertmanager and Prometheus get from a rendered release, checked with the real amtool and
 * promtool: the configuration Secret and the PrometheusRules, written out as files.
 */
describe('notifications and rules, as the cluster receives them', () => {
  let chart: ChartUnderTest;
  let work: string;
  beforeAll(() => {
    chart = ChartUnderTest.prepare();
    work = mkdtempSync(join(tmpdir(), 'clustache-rendered-'));
  });
  afterAll(() => {
    chart.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  /** The rendered Alertmanager configuration, written to a file for amtool. */
  async function alertmanagerConfig(options: RenderOptions) {
    const objects = await chart.render(options);
    const secret = one(objects, 'Secret', one(objects, 'Alertmanager').spec.configSecret);
    const text = Buffer.from(secret.data['alertmanager.yaml'], 'base64').toString();
    const file = join(work, `alertmanager-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return { objects, file, config: parse(text) };
  }

  async function routedTo(file: string, labels: Record<string, string>): Promise<string> {
    const result = await runTool('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${file}`,
      ...Object.entries(labels).map(([name, value]) => `${name}=${value}`),
    ]);
    expect({ code: result.code, err: result.stderr }).toEqual({
      code: 0,
      err: expect.not.stringContaining('rror'),
    });
    return result.stdout.trim();
  }

  describe('values-local.yaml (Docker Desktop)', () => {
    let objects: K8sObject[];
    let file: string;
    let config: { receivers: { name: string; email_configs?: { smarthost: string }[] }[] };
    beforeAll(
      async () => ({ objects, file, config } = await alertmanagerConfig({ values: ['values-local.yaml'] })),
    );

    it('passes amtool check-config', async () => {
      const result = await runTool('amtool', ['check-config', file]);
      expect({ code: result.code, out: result.stdout }).toEqual({
        code: 0,
        out: expect.stringContaining('SUCCESS'),
      });
    });

    it("sends Watchdog and InfoInhibitor to the null receiver, and Clustache's alerts to the in-cluster mail catcher", async () => {
      expect(await routedTo(file, { alertname: 'Watchdog', severity: 'none' })).toBe('null');
      expect(await routedTo(file, { alertname: 'InfoInhibitor', severity: 'none' })).toBe('null');
      expect(
        await routedTo(file, { alertname: 'RedisDown', severity: 'critical', job: 'redis-exporter' }),
      ).toBe('clustache-critical');
      expect(await routedTo(file, { alertname: 'ClustacheFillRateLow', severity: 'warning' })).toBe(
        'clustache',
      );
      const service = one(objects, 'Service', 'clustache-notifications');
      const smtp = service.spec.ports.find((p: { name: string }) => p.name === 'smtp');
      for (const name of ['clustache', 'clustache-critical']) {
        const receiver = config.receivers.find((r) => r.name === name)!;
        expect(receiver.email_configs?.map((e) => e.smarthost)).toEqual([
          `${service.metadata.name}:${smtp.port}`,
        ]);
      }
    });

    it('runs the mail catcher non-root, read-only, behind a Service whose ports reach its container', () => {
      const deployment = one(objects, 'Deployment', 'clustache-notifications');
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      const service = one(objects, 'Service', 'clustache-notifications');
      const containerPorts = container.ports.map((p: { name: string }) => p.name);
      for (const port of service.spec.ports) expect(containerPorts).toContain(port.targetPort);
      expect(service.spec.selector).toEqual(
        Object.fromEntries(
          Object.entries(service.spec.selector).map(([k]) => [
            k,
            deployment.spec.template.metadata.labels[k],
          ]),
        ),
      );
    });
  });

  it('is off by default: no mail catcher, receivers with nowhere to send', async () => {
    const { objects } = await alertmanagerConfig({});
    expect(ofKind(objects, 'Deployment').map((d) => d.metadata.name)).not.toContain(
      'clustache-notifications',
    );
  });

  it('configures email and Slack from values, their secrets read from files of existing Secrets that Alertmanager mounts', async () => {
    const { file, config } = await alertmanagerConfig({
      set: {
        'notifications.email.enabled': 'true',
        'notifications.email.to': 'team@example.com',
        'notifications.email.from': 'alerts@example.com',
        'notifications.email.smarthost': 'smtp.example.com:587',
        'notifications.email.authUsername': 'alerts',
        'notifications.email.existingSecret': 'smtp',
        'notifications.slack.enabled': 'true',
        'notifications.slack.channel': '#oncall',
        'notifications.slack.existingSecret': 'slack',
        'kube-prometheus-stack.alertmanager.alertmanagerSpec.secrets[0]': 'smtp',
        'kube-prometheus-stack.alertmanager.alertmanagerSpec.secrets[1]': 'slack',
      },
    });
    const result = await runTool('amtool', ['check-config', file]);
    expect({ code: result.code, err: result.stderr }).toEqual({ code: 0, err: '' });
    const receiver = config.receivers.find((r: { name: string }) => r.name === 'clustache-critical');
    expect(receiver).toEqual({
      name: 'clustache-critical',
      email_configs: [
        {
          to: 'team@example.com',
          from: 'alerts@example.com',
          smarthost: 'smtp.example.com:587',
          require_tls: true,
          send_resolved: true,
          auth_username: 'alerts',
          auth_password_file: '/etc/alertmanager/secrets/smtp/smtp-password',
        },
      ],
      slack_configs: [
        {
          api_url_file: '/etc/alertmanager/secrets/slack/slack-webhook-url',
          channel: '#oncall',
          send_resolved: true,
        },
      ],
    });
  });

  it('configures a webhook by URL, or by url_file from an existing Secret', async () => {
    const plain = await alertmanagerConfig({
      set: {
        'notifications.webhook.enabled': 'true',
        'notifications.webhook.url': 'https://hooks.example.com/a',
      },
    });
    expect((await runTool('amtool', ['check-config', plain.file])).code).toBe(0);
    expect(plain.config.receivers[1].webhook_configs).toEqual([
      { url: 'https://hooks.example.com/a', send_resolved: true },
    ]);
    // url_file needs Alertmanager 0.26+ (kube-prometheus-stack 88 ships it; Debian's amtool is 0.25).
    const secret = await alertmanagerConfig({
      set: {
        'notifications.webhook.enabled': 'true',
        'notifications.webhook.existingSecret': 'hook',
        'kube-prometheus-stack.alertmanager.alertmanagerSpec.secrets[0]': 'hook',
      },
    });
    expect(secret.config.receivers[1].webhook_configs).toEqual([
      { url_file: '/etc/alertmanager/secrets/hook/webhook-url', send_resolved: true },
    ]);
    expect(one(secret.objects, 'Alertmanager').spec.secrets).toEqual(['hook']);
  });

  it('refuses a secret Alertmanager would not mount, naming the value to add it to', async () => {
    const result = await chart.template({
      set: { 'notifications.slack.enabled': 'true', 'notifications.slack.existingSecret': 'slack' },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'notifications.slack.existingSecret "slack" must also be listed in kube-prometheus-stack.alertmanager.alertmanagerSpec.secrets',
    );
  });

  it('gives Prometheus rules that pass promtool check rules', async () => {
    const rules = ofKind(await chart.render({ set: { 'rtb.enabled': 'true' } }), 'PrometheusRule');
    expect(rules.length).toBeGreaterThanOrEqual(2);
    for (const rule of rules) {
      const file = join(work, `${rule.metadata.name}.yaml`);
      writeFileSync(file, stringify(rule.spec));
      const result = await runTool('promtool', ['check', 'rules', file]);
      expect({ rule: rule.metadata.name, code: result.code, out: result.stdout + result.stderr }).toEqual({
        rule: rule.metadata.name,
        code: 0,
        out: expect.stringContaining('SUCCESS'),
      });
    }
  });

  it('leaves the node exporter off by default (it cannot run on Docker Desktop)', async () => {
    expect(ofKind(await chart.render(), 'DaemonSet')).toEqual([]);
  });
});
