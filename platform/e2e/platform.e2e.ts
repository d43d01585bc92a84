import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, RedisServer, waitFor } from '@clustache/testing';
/* eslint-disable @nx/enforce-module-boundaries -- dashboards/ is a config project, not a package with a name */
import { readCommittedDashboards } from '../../dashboards/src/files';
import { panelQueries, toPromql, type PanelQuery } from '../../dashboards/src/panel-queries';
import { readSeedDashboard } from '../../dashboards/src/seed-dashboard';
/* eslint-enable @nx/enforce-module-boundaries */
import type { Notification } from '../src/console/notification-log';
import { PrometheusApi } from '../src/prometheus-api';
import { busyPorts, processesMentioning } from './support/leftovers';
import { PlatformProcess } from './support/platform-process';

/**
 * The whole platform as `npm start` runs it, against a Redis this test owns so it can kill it:
 * the API answers through the load balancer from every replica; every panel query of every
 * dashboard (ours and the seed's) returns data; killing redis-server makes RedisDown travel
 * Prometheus → Alertmanager → the webhook receiver, and resolve once Redis is back, while the
 * replicas recover by themselves; Ctrl-C leaves no process and no port behind. Alert timings are
 * shortened by flags (`for:` 3s, 1s scrapes and evaluations, 1s/2s grouping).
 */

interface Urls {
  api: string;
  console: string;
  prometheus: string;
  replicas: Record<string, string>;
  workDir: string;
}

// Waiting for alerts to fire and resolve takes a while; every hook and test may take up to 4 minutes.
jest.setTimeout(240_000);

const progress = (text: string) =>
  process.stdout.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

describe('npm start: the whole platform on one machine', () => {
  let redis: RedisServer;
  let platform: PlatformProcess;
  let ports: { lb: number; prometheus: number; alertmanager: number; console: number };
  let urls: Urls;
  let prometheus: PrometheusApi;

  const notifications = async (alertname: string): Promise<Notification[]> =>
    (await (await fetch(`${urls.console}/notifications?alertname=${alertname}`)).json()) as Notification[];

  beforeAll(async () => {
    redis = await RedisServer.start();
    ports = {
      lb: await freePort(),
      prometheus: await freePort(),
      alertmanager: await freePort(),
      console: await freePort(),
    };
    platform = new PlatformProcess([
      '--no-build',
      `--redis-url=${redis.url}`,
      `--lb-port=${ports.lb}`,
      `--prometheus-port=${ports.prometheus}`,
      `--alertmanager-port=${ports.alertmanager}`,
      `--console-port=${ports.console}`,
      '--replicas=3',
      '--rps=40',
      '--keys=300',
      '--scrape-interval=1s',
      '--evaluation-interval=1s',
      '--alert-for=3s',
      '--alert-group-wait=1s',
      '--alert-group-interval=2s',
      '--status-every=0',
      '--keep-work-dir',
    ]);
    progress('starting the platform');
    const running = await platform.waitForOutput(/Clustache is running[\s\S]*Logs\s+(\S+)\/logs/, 120_000);
    urls = JSON.parse(await readFile(join(running[1]!, 'urls.json'), 'utf8')) as Urls;
    prometheus = new PrometheusApi(urls.prometheus);
    progress(`running: ${urls.api}, work dir ${urls.workDir}`);
  }, 150_000);

  afterAll(async () => {
    platform?.kill();
    await redis?.kill();
    if (urls?.workDir) await rm(urls.workDir, { recursive: true, force: true });
  });

  it('prints progress for every part and the URLs a person needs', () => {
    for (const part of [
      'binaries',
      'console',
      'redis-exporter',
      'api-1',
      'api-2',
      'api-3',
      'load balancer',
      'alertmanager',
      'prometheus',
      'load',
    ]) {
      expect(platform.output).toContain(`✔ ${part}`);
    }
    expect(platform.output).toContain(`API (load balancer)   http://127.0.0.1:${ports.lb}`);
    expect(platform.output).toContain(`Prometheus            http://127.0.0.1:${ports.prometheus}`);
    expect(platform.output).toContain(`Alertmanager          http://127.0.0.1:${ports.alertmanager}`);
    expect(platform.output).toContain('Press Ctrl-C to stop.');
  });

  it('answers through the load balancer from every replica', async () => {
    const instances = new Set<string>();
    for (let i = 0; i < 30 && instances.size < 3; i++) {
      const response = await fetch(`${urls.api}/items/1`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: '1' });
      instances.add(response.headers.get('x-instance-id') ?? '?');
    }
    expect([...instances].sort()).toEqual(['api-1', 'api-2', 'api-3']);
  });

  it('scrapes every replica and the Redis exporter, with the jobs the dashboards select on', async () => {
    await waitFor(
      async () =>
        (await prometheus.scalar('sum(up{job="clustache-api"})')) === 3 &&
        (await prometheus.scalar('sum(redis_up{job="redis-exporter"})')) === 1,
      {
        timeoutMs: 30_000,
        description: 'three replicas and Redis up in Prometheus',
      },
    );
    const instances = (await prometheus.query('up{job="clustache-api"}'))
      .map((sample) => sample.metric['instance'])
      .sort();
    expect(instances).toEqual(['api-1', 'api-2', 'api-3']);
  });

  it('killing redis-server sends RedisDown to the webhook receiver; it resolves when Redis is back; replicas recover', async () => {
    const reconnectsBefore =
      (await prometheus.scalar('sum(clustache_cache_bus_reconnects_total{job="clustache-api"})')) ?? 0;
    progress('killing redis-server');
    await redis.kill();
    const fired = await waitFor(
      async () => (await notifications('RedisDown')).find((n) => n.status === 'firing'),
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: 'RedisDown firing at the webhook receiver',
      },
    );
    progress('RedisDown reached the webhook receiver');
    expect(fired!.receiver).toBe('clustache-critical');
    expect(fired!.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { alertname: 'RedisDown', severity: 'critical', job: 'redis-exporter' },
      annotations: { runbook_url: 'docs/runbooks.md#redisdown' },
    });
    expect(fired!.alerts[0]!.annotations['summary']).toMatch(/^Redis is down/);
    expect(platform.output).toContain('FIRING RedisDown (critical)');

    progress('restarting redis-server');
    await redis.restart();
    await waitFor(async () => (await notifications('RedisDown')).some((n) => n.status === 'resolved'), {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'RedisDown resolved at the webhook receiver',
    });
    progress('RedisDown resolved');
    expect(platform.output).toContain('RESOLVED RedisDown (critical)');

    await waitFor(
      async () => {
        const ready = await Promise.all(
          Object.values(urls.replicas).map((url) =>
            fetch(`${url}/ready`).then(
              (r) => r.status === 200,
              () => false,
            ),
          ),
        );
        return ready.every(Boolean);
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'every replica ready again' },
    );
    await waitFor(
      async () => (await prometheus.scalar('min(clustache_cache_bus_connected{job="clustache-api"})')) === 1,
      {
        timeoutMs: 30_000,
        description: 'every replica back on the bus',
      },
    );
    expect(
      await prometheus.scalar('sum(clustache_cache_bus_reconnects_total{job="clustache-api"})'),
    ).toBeGreaterThan(reconnectsBefore);
    await waitFor(async () => (await fetch(`${urls.api}/items/1`)).status === 200, {
      timeoutMs: 30_000,
      description: 'the API answering again',
    });
    progress('replicas recovered');
  });

  it("returns data for every panel query of every dashboard, the seed's included", async () => {
    const dashboards: [string, PanelQuery[]][] = [...(await readCommittedDashboards())].map(
      ([file, dashboard]) => [file, panelQueries(dashboard)],
    );
    dashboards.push(['seed 000 dashboard', panelQueries(await readSeedDashboard())]);
    expect(dashboards.flatMap(([, queries]) => queries).length).toBeGreaterThan(40);
    // The Recovery row shows recoveries as they happen: cut every replica's subscription so each
    // repairs from the replay log within the panels' rate window.
    const admin = redis.client();
    await admin.client('KILL', 'TYPE', 'pubsub');
    admin.disconnect();
    const empty = async () => {
      const missing: string[] = [];
      for (const [file, queries] of dashboards) {
        for (const query of queries) {
          const samples = await prometheus.query(toPromql(query.expr, { rateInterval: '30s' }));
          if (!samples.some((sample) => Number.isFinite(Number(sample.value[1]))))
            missing.push(`${file} › ${query.panel} › ${query.refId}: ${query.expr}`);
        }
      }
      return missing;
    };
    // Series that only exist once something happened (Redis errors, k6 pushes) may need a few scrapes.
    let missing: string[] = [];
    await waitFor(async () => (missing = await empty()).length === 0, {
      timeoutMs: 30_000,
      intervalMs: 2000,
      description: 'data in every panel',
    }).catch(() => undefined);
    expect(missing).toEqual([]);
  });

  it('shows the fill ratio and latency without Grafana: the console page and its chart image', async () => {
    const page = await (await fetch(urls.console)).text();
    expect(page).toMatch(/Cache fill rate<\/th><td>fill rate <b>\d+\.\d%<\/b>/);
    expect(page).toMatch(
      /Response latency<\/th><td>average <b>[\d.]+ (µs|ms|s)<\/b> · p95 <b>[\d.]+ (µs|ms|s)<\/b> · p99/,
    );
    expect(page).toContain('RedisDown');
    const image = await fetch(`${urls.console}/overview.svg`);
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
    const svg = await image.text();
    for (const title of [
      'Cache fill rate',
      '% of fulfillment from pub/sub',
      'Response latency',
      'Request rate by route',
    ])
      expect(svg).toContain(title);
    expect((svg.match(/<polyline/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(svg).not.toContain('no data yet');
  });

  it('stops everything on Ctrl-C, leaving no process and no port behind', async () => {
    const replicaPorts = Object.values(urls.replicas).map((url) => Number(new URL(url).port));
    const allPorts = [ports.lb, ports.prometheus, ports.alertmanager, ports.console, ...replicaPorts];
    expect(await busyPorts(allPorts)).toEqual(allPorts);
    platform.interrupt();
    expect(await platform.exited).toEqual({ code: 0, signal: null });
    expect(platform.output).toContain('stopped; no process or port left behind');
    expect(await busyPorts(allPorts)).toEqual([]);
    expect(await processesMentioning(urls.workDir)).toEqual([]);
    expect(await processesMentioning(redis.url)).toEqual([]);
  });
});

describe('npm start with its own redis-server', () => {
  const platformPorts = async () => [await freePort(), await freePort(), await freePort(), await freePort()];
  const flags = (ports: number[]) => [
    '--no-build',
    '--replicas=1',
    '--rps=0',
    `--lb-port=${ports[0]}`,
    `--prometheus-port=${ports[1]}`,
    `--alertmanager-port=${ports[2]}`,
    `--console-port=${ports[3]}`,
    '--status-every=0',
  ];

  it('starts redis-server on a free port, serves, and Ctrl-C in the terminal stops it all', async () => {
    const ports = await platformPorts();
    const platform = new PlatformProcess(flags(ports), 'npm');
    try {
      const running = await platform.waitForOutput(
        /Redis\s+redis:\/\/127\.0\.0\.1:(\d+)[\s\S]*Press Ctrl-C/,
        120_000,
      );
      const redisPort = Number(running[1]);
      expect(platform.output).toContain('✔ redis-server');
      const created = await fetch(`http://127.0.0.1:${ports[0]}/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'e2e', name: 'own redis', price: 1 }),
      });
      expect(created.status).toBe(201);
      expect((await fetch(`http://127.0.0.1:${ports[0]}/items/e2e`)).status).toBe(200);
      platform.pressCtrlC();
      // npm itself dies of the SIGINT at once; the platform goes on until every part is down.
      await platform.exited;
      await waitFor(() => platform.output.includes('stopped; no process or port left behind'), {
        timeoutMs: 30_000,
        description: 'the platform to finish stopping',
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n--- platform output ---\n${platform.output}`);
      });
      expect(platform.output.match(/stopping every part/g)).toHaveLength(1);
      expect(await busyPorts([...ports, redisPort])).toEqual([]);
    } finally {
      platform.kill();
    }
  }, 150_000);

  it('Ctrl-C while starting stops what was started', async () => {
    const ports = await platformPorts();
    const platform = new PlatformProcess(flags(ports));
    try {
      const started = await platform.waitForOutput(/✔ redis-server\s+redis:\/\/127\.0\.0\.1:(\d+)/, 120_000);
      platform.pressCtrlC();
      expect({ exit: await platform.exited, output: platform.output }).toEqual({
        exit: { code: 0, signal: null },
        output: expect.any(String),
      });
      expect(platform.output).not.toContain('Clustache is running');
      expect(await busyPorts([...ports, Number(started[1])])).toEqual([]);
      expect(await processesMentioning(`redis://127.0.0.1:${started[1]}`)).toEqual([]);
    } finally {
      platform.kill();
    }
  }, 150_000);
});
