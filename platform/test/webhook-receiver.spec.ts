import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, waitFor } from '@clustache/testing';
import { localAlertmanagerConfig } from '../src/alerting-config';
import { alertmanagerSpec } from '../src/components/alertmanager';
import { ConsoleServer } from '../src/console/console-server';
import { NotificationLog, type Notification } from '../src/console/notification-log';
import { OverviewCharts } from '../src/console/overview-charts';
import { ManagedProcess } from '../src/managed-process';
import { PrometheusApi } from '../src/prometheus-api';
import { quietSupervision, workDir } from './support/work-dir';

/**
 * The console's webhook receiver fed by a real Alertmanager running our alertmanager.yml:
 * alerts posted to Alertmanager's API come back as notifications, routed, grouped, inhibited.
 */
describe('the webhook receiver behind a real Alertmanager', () => {
  let dir: Awaited<ReturnType<typeof workDir>>;
  let alertmanager: ManagedProcess;
  let consoleServer: ConsoleServer;
  let consoleUrl: string;
  let alertmanagerUrl: string;
  const log = new NotificationLog();

  const post = (alerts: object[]) =>
    fetch(`${alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    }).then((response) => expect(response.status).toBe(200));
  const redisDown = {
    alertname: 'RedisDown',
    severity: 'critical',
    job: 'redis-exporter',
    instance: 'exporter:9121',
  };

  beforeAll(async () => {
    dir = await workDir();
    const consolePort = await freePort();
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    consoleServer = new ConsoleServer(
      consolePort,
      log,
      new OverviewCharts(new PrometheusApi('http://127.0.0.1:1')),
      {
        api: '',
        prometheus: '',
        alertmanager: '',
      },
    );
    await consoleServer.start();
    const configFile = join(dir.path, 'alertmanager.yml');
    await writeFile(
      configFile,
      await localAlertmanagerConfig({
        webhookUrl: `${consoleUrl}/alerts`,
        groupWait: '1s',
        groupInterval: '1s',
      }),
    );
    const port = await freePort();
    alertmanagerUrl = `http://127.0.0.1:${port}`;
    alertmanager = new ManagedProcess(
      alertmanagerSpec('prometheus-alertmanager', configFile, port, dir.path),
      quietSupervision,
    );
    await alertmanager.start();
  });

  afterAll(async () => {
    await alertmanager.stop();
    await consoleServer.stop();
    await dir.remove();
  });

  it('records a critical alert firing, then resolved, from the critical receiver', async () => {
    const startsAt = new Date().toISOString();
    await post([{ labels: redisDown, annotations: { summary: 'Redis is down (exporter:9121)' }, startsAt }]);
    const firing = await waitFor<Notification | undefined>(
      () => log.list('RedisDown').find((n) => n.status === 'firing'),
      {
        timeoutMs: 15_000,
        description: 'RedisDown firing',
      },
    );
    if (firing === undefined) throw new Error('unreachable: waitFor returns a value');
    expect(firing).toMatchObject<Partial<Notification>>({
      receiver: 'clustache-critical',
      groupLabels: { alertname: 'RedisDown', job: 'redis-exporter' },
    });
    expect(firing.alerts[0]).toMatchObject({
      status: 'firing',
      annotations: { summary: 'Redis is down (exporter:9121)' },
    });

    await post([
      {
        labels: redisDown,
        annotations: { summary: 'Redis is down (exporter:9121)' },
        startsAt,
        endsAt: new Date().toISOString(),
      },
    ]);
    await waitFor(() => log.list('RedisDown').some((n) => n.status === 'resolved'), {
      timeoutMs: 15_000,
      description: 'RedisDown resolved',
    });

    const served = (await (
      await fetch(`${consoleUrl}/notifications?alertname=RedisDown`)
    ).json()) as Notification[];
    expect(served.map((n) => n.status)).toEqual(['firing', 'resolved']);
  });

  it('holds back the bus alerts while Redis is down (inhibition)', async () => {
    const startsAt = new Date().toISOString();
    await post([
      { labels: redisDown, annotations: { summary: 'Redis is down' }, startsAt },
      {
        labels: {
          alertname: 'ClustacheBusDisconnected',
          severity: 'critical',
          job: 'clustache-api',
          instance: 'api-1',
        },
        annotations: {},
        startsAt,
      },
    ]);
    const inhibited = await waitFor(
      async () => {
        const alerts = (await (
          await fetch(`${alertmanagerUrl}/api/v2/alerts?filter=alertname="ClustacheBusDisconnected"`)
        ).json()) as {
          status: { inhibitedBy: string[] };
        }[];
        return alerts[0]?.status.inhibitedBy.length ? alerts[0] : undefined;
      },
      { timeoutMs: 15_000, description: 'the bus alert to be inhibited' },
    );
    expect(inhibited?.status.inhibitedBy).toHaveLength(1);
    await waitFor(() => log.list('RedisDown').filter((n) => n.status === 'firing').length >= 2, {
      timeoutMs: 15_000,
      description: 'RedisDown notified again',
    });
    expect(log.list('ClustacheBusDisconnected')).toEqual([]);
  });

  it('answers 400 to a body that is not a notification', async () => {
    const response = await fetch(`${consoleUrl}/alerts`, { method: 'POST', body: '{"hello": 1}' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not an Alertmanager webhook notification');
  });
});
