import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { localAlertmanagerConfig, localRules } from '../src/alerting-config';
import { workDir } from './support/work-dir';

const run = promisify(execFile);

describe('the local copies of the alerting files', () => {
  let dir: Awaited<ReturnType<typeof workDir>>;

  beforeAll(async () => {
    dir = await workDir();
  });

  afterAll(() => dir.remove());

  it("keep the rules as they are unless asked, and replace every alert's for: when asked", async () => {
    const unchanged = parse(await localRules(undefined)) as {
      groups: { rules: { alert?: string; for?: string }[] }[];
    };
    const alerts = unchanged.groups.flatMap((group) => group.rules).filter((rule) => rule.alert);
    expect(alerts.some((rule) => rule.for === '10m')).toBe(true);

    const fast = await localRules('3s');
    const file = join(dir.path, 'fast.rules.yml');
    await writeFile(file, fast);
    await run('promtool', ['check', 'rules', file]);
    const rules = (parse(fast) as typeof unchanged).groups.flatMap((group) => group.rules);
    expect(rules.filter((rule) => rule.alert).every((rule) => rule.for === '3s')).toBe(true);
    expect(rules.filter((rule) => !rule.alert).every((rule) => rule.for === undefined)).toBe(true);
  });

  it('point every webhook at the console and shorten grouping on every route when asked', async () => {
    const text = await localAlertmanagerConfig({
      webhookUrl: 'http://127.0.0.1:45678/alerts',
      groupWait: '1s',
      groupInterval: '2s',
    });
    const file = join(dir.path, 'alertmanager.yml');
    await writeFile(file, text);
    await run('amtool', ['check-config', file]);
    const config = parse(text) as {
      route: {
        group_wait: string;
        group_interval: string;
        routes: { group_wait: string; group_interval: string }[];
      };
      receivers: { webhook_configs?: { url: string }[] }[];
    };
    expect(
      // The null receiver (Watchdog, InfoInhibitor) has no webhook.
      config.receivers.flatMap((receiver) => (receiver.webhook_configs ?? []).map((webhook) => webhook.url)),
    ).toEqual(['http://127.0.0.1:45678/alerts', 'http://127.0.0.1:45678/alerts']);
    for (const route of [config.route, ...config.route.routes])
      expect(route).toMatchObject({ group_wait: '1s', group_interval: '2s' });
  });
});
