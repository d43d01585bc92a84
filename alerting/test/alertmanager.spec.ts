import { join } from 'node:path';
import { ALERTMANAGER_DIR, readAlerts, readYaml, runTool } from './support/files';

interface RouteCases {
  config: string;
  cases: { labels: Record<string, string>; receivers: string[] }[];
}

const routeCases = readYaml<RouteCases[]>(join(ALERTMANAGER_DIR, 'routes.test.yml'));
const configs = routeCases.map(({ config }) => config);

/** The receivers amtool resolves for an alert with these labels, or its complaint. */
async function receiversOf(config: string, labels: Record<string, string>, expected: string[]) {
  const args = [
    'config',
    'routes',
    'test',
    `--config.file=${join(ALERTMANAGER_DIR, config)}`,
    `--verify.receivers=${expected.join(',')}`,
  ];
  const result = await runTool('amtool', [
    ...args,
    ...Object.entries(labels).map(([name, value]) => `${name}=${value}`),
  ]);
  return { code: result.code, receivers: result.stdout.trim().split('\n')[0]!.split(',') };
}

describe('the Alertmanager configs', () => {
  it.each(['alertmanager.yml', 'examples/email-slack.yml'])(
    '%s passes amtool check-config',
    async (config) => {
      const result = await runTool('amtool', ['check-config', join(ALERTMANAGER_DIR, config)]);
      expect({ code: result.code, output: result.stdout }).toEqual({
        code: 0,
        output: expect.stringContaining('SUCCESS'),
      });
    },
  );

  it('has route cases for every config', () => {
    expect(configs).toEqual(['alertmanager.yml', 'examples/email-slack.yml']);
  });

  for (const { config, cases } of routeCases) {
    it.each(cases.map((c) => [c.labels['alertname'], c.labels, c.receivers] as const))(
      `${config} routes %s to its receivers`,
      async (_name, labels, receivers) => {
        expect(await receiversOf(config, labels, receivers)).toEqual({ code: 0, receivers });
      },
    );
  }

  it('sends every alert of the rules file to a webhook, critical ones to the critical receiver', async () => {
    for (const rule of readAlerts()) {
      const severity = rule.labels?.['severity'] ?? '';
      const expected = severity === 'critical' ? ['clustache-critical'] : ['clustache'];
      expect({
        alert: rule.alert,
        ...(await receiversOf('alertmanager.yml', { alertname: rule.alert, severity }, expected)),
      }).toEqual({
        alert: rule.alert,
        code: 0,
        receivers: expected,
      });
    }
  });

  it('groups by alert name and job, and sends resolved notifications', () => {
    const config = readYaml<{
      route: { group_by: string[] };
      receivers: { name: string; webhook_configs?: { send_resolved?: boolean }[] }[];
    }>(join(ALERTMANAGER_DIR, 'alertmanager.yml'));
    expect(config.route.group_by).toEqual(['alertname', 'job']);
    for (const receiver of config.receivers) {
      for (const webhook of receiver.webhook_configs ?? [])
        expect({ receiver: receiver.name, resolved: webhook.send_resolved }).toEqual({
          receiver: receiver.name,
          resolved: true,
        });
    }
  });
});
