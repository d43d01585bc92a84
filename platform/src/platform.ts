import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@clustache/testing';
import { writeAlertingFiles } from './alerting-config';
import { findBinaries } from './binaries';
import { alertmanagerSpec } from './components/alertmanager';
import { API_MAIN, apiReplicaSpec } from './components/api-replica';
import { RTB_MAIN, rtbSpec } from './components/rtb';
import { prometheusConfig, prometheusSpec } from './components/prometheus';
import { redisServerSpec } from './components/redis';
import { redisExporterSpec } from './components/redis-exporter';
import { ConsoleServer } from './console/console-server';
import { describeNotification, NotificationLog } from './console/notification-log';
import { OverviewCharts } from './console/overview-charts';
import { LoadBalancer } from './load-balancer';
import { LoadGenerator } from './load/load-generator';
import { Workload } from '@clustache/rtb-contract';
import { ManagedProcess, type ProcessSpec, type SupervisionEvents } from './managed-process';
import { isPortFree } from './net';
import type { PlatformOptions } from './options';
import { PrometheusApi } from './prometheus-api';
import type { Progress } from './progress';
import { statusLine } from './status-line';

export const REPO_ROOT = join(__dirname, '..', '..');

export interface PlatformUrls {
  api: string;
  /** The RTB workload's API (seed 004). */
  rtb: string;
  console: string;
  prometheus: string;
  alertmanager: string;
  redis: string;
  /** Replica name → its own URL (bypassing the load balancer). */
  replicas: Record<string, string>;
  workDir: string;
}

/** A port the platform must listen on is taken; the message names the option that moves it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/**
 * The whole platform on one machine: redis-server (unless REDIS_URL names one), N API replicas
 * behind a load balancer, the Redis exporter, Prometheus with the alert rules, Alertmanager
 * notifying the console's webhook receiver, and a steady load. `start()` brings the parts up in
 * dependency order and, if one fails, takes down what it started; `stop()` takes everything
 * down and resolves only when every child process has exited and every port is closed.
 */
export class Platform {
  readonly notifications = new NotificationLog();
  private readonly processes: ManagedProcess[] = [];
  private loadBalancer: LoadBalancer | undefined;
  private console: ConsoleServer | undefined;
  private load: LoadGenerator | undefined;
  private rtbLoad: { workload: Workload; done: Promise<unknown> } | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private createdWorkDir = false;
  private workDir: string | undefined;
  private stopped = false;
  urls!: PlatformUrls;
  readonly prometheus: PrometheusApi;

  constructor(
    private readonly options: PlatformOptions,
    private readonly progress: Progress,
  ) {
    this.prometheus = new PrometheusApi(`http://127.0.0.1:${options.prometheusPort}`);
  }

  /** Brings every part up; if one fails (or `stop()` is called meanwhile), takes down what was started and rejects. */
  async start(): Promise<void> {
    try {
      await this.bringUp();
    } catch (error) {
      if (!this.stopped) this.progress.line('stopping what was started…');
      await this.stop();
      throw error;
    }
  }

  /** The supervised child process of that name (redis-server, api-1, prometheus, …). */
  process(name: string): ManagedProcess | undefined {
    return this.processes.find((candidate) => candidate.spec.name === name);
  }

  get loadTotals(): { sent: number; ok: number; failed: number } | undefined {
    return this.load?.totals;
  }

  private async bringUp(): Promise<void> {
    const { options, progress } = this;
    const binaries = await progress.step(
      'binaries',
      async () =>
        findBinaries(
          options.redisUrl
            ? ['prometheus', 'alertmanager', 'redis-exporter']
            : ['redis-server', 'prometheus', 'alertmanager', 'redis-exporter'],
        ),
      (found) => Object.values(found).join(', '),
    );
    await this.checkPorts();
    const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'clustache-platform-')));
    this.createdWorkDir = options.workDir === undefined;
    this.workDir = workDir;
    await mkdir(join(workDir, 'logs'), { recursive: true });
    if (options.build)
      await progress.step(
        'API built',
        () => this.buildApi(workDir),
        () => 'nx run-many -t build -p @clustache/cache-api @clustache/rtb',
      );
    for (const main of [API_MAIN, RTB_MAIN])
      if (!existsSync(main))
        throw new Error(`${main} is missing: run \`npm run build\` first (or start without --no-build)`);

    const adminToken = randomBytes(12).toString('hex');
    const consoleUrl = `http://127.0.0.1:${options.consolePort}`;
    const prometheusUrl = `http://127.0.0.1:${options.prometheusPort}`;
    const alertmanagerUrl = `http://127.0.0.1:${options.alertmanagerPort}`;
    const apiUrl = `http://127.0.0.1:${options.lbPort}`;

    this.notifications.onNotification((notification) =>
      progress.line(indent(describeNotification(notification), '  ⚑ ')),
    );
    this.console = new ConsoleServer(
      options.consolePort,
      this.notifications,
      new OverviewCharts(this.prometheus),
      {
        api: apiUrl,
        prometheus: prometheusUrl,
        alertmanager: alertmanagerUrl,
      },
    );
    await progress.step(
      'console',
      () => this.console!.start(),
      () => `${consoleUrl} (overview, webhook receiver at /alerts)`,
    );

    let redisUrl = options.redisUrl;
    if (redisUrl === undefined) {
      const port = await freePort();
      redisUrl = `redis://127.0.0.1:${port}`;
      await progress.step(
        'redis-server',
        () => this.run(redisServerSpec(binaries['redis-server'], port, workDir)),
        () => redisUrl!,
      );
    }

    const exporterPort = await freePort();
    const rtbPorts = { api: await freePort(), aggregator: await freePort() };
    const replicas = new Map<string, number>();
    for (let i = 1; i <= options.replicas; i++) replicas.set(`api-${i}`, await freePort());
    const settings = {
      redisUrl,
      sourceLatencyMs: options.sourceLatencyMs,
      cacheTtlSeconds: options.cacheTtlSeconds,
      adminToken,
    };
    progress.line(`  … starting redis-exporter, ${options.replicas} API replicas and the RTB workload`);
    await Promise.all([
      progress.step(
        'redis-exporter',
        () => this.run(redisExporterSpec(binaries['redis-exporter'], redisUrl!, exporterPort, workDir)),
        () => `http://127.0.0.1:${exporterPort}/metrics`,
      ),
      ...(['api', 'aggregator'] as const).map((role) =>
        progress.step(
          `rtb-${role}`,
          () => this.run(rtbSpec(role, rtbPorts[role], redisUrl!, workDir)),
          () => `http://127.0.0.1:${rtbPorts[role]} ready`,
        ),
      ),
      ...[...replicas].map(([name, port]) =>
        progress.step(
          name,
          () => this.run(apiReplicaSpec(name, port, settings, workDir)),
          () => `http://127.0.0.1:${port} ready`,
        ),
      ),
    ]);

    this.loadBalancer = new LoadBalancer({
      port: options.lbPort,
      backends: [...replicas].map(([name, port]) => ({ name, port })),
    });
    await progress.step(
      'load balancer',
      () => this.loadBalancer!.start(),
      () => `${apiUrl} → ${[...replicas.keys()].join(', ')}`,
    );

    const { rulesFile, alertmanagerFile } = await writeAlertingFiles(workDir, options.alertFor, {
      webhookUrl: `${consoleUrl}/alerts`,
      groupWait: options.alertGroupWait,
      groupInterval: options.alertGroupInterval,
    });
    await progress.step(
      'alertmanager',
      () =>
        this.run(
          alertmanagerSpec(binaries.alertmanager, alertmanagerFile, options.alertmanagerPort, workDir),
        ),
      () => alertmanagerUrl,
    );

    const config = prometheusConfig(
      {
        replicas,
        redisExporterPort: exporterPort,
        rtbApiPort: rtbPorts.api,
        rtbAggregatorPort: rtbPorts.aggregator,
        alertmanagerPort: options.alertmanagerPort,
        prometheusPort: options.prometheusPort,
      },
      rulesFile,
      options.scrapeInterval,
      options.evaluationInterval,
    );
    await progress.step(
      'prometheus',
      async () =>
        this.run(await prometheusSpec(binaries.prometheus, config, options.prometheusPort, workDir)),
      () => `${prometheusUrl} (rules loaded)`,
    );

    if (options.rps > 0) {
      this.load = new LoadGenerator({
        targetUrl: apiUrl,
        rps: options.rps,
        keys: options.keys,
        adminToken,
        remoteWriteUrl: `${prometheusUrl}/api/v1/write`,
      });
      await progress.step(
        'load',
        () => this.load!.start(),
        () => `${options.keys} items created; ${options.rps} req/s, zipf keys, reads/writes/invalidations`,
      );
    }

    if (options.rtbTagsPerSecond > 0) {
      const workload = new Workload({
        baseUrl: `http://127.0.0.1:${rtbPorts.api}`,
        seed: Date.now() % 1_000_000,
        tagsPerSecond: options.rtbTagsPerSecond,
        durationMs: 365 * 86_400_000,
        // One aggregates query a second, over tags accepted 5 s before (the contract allows 60 s).
        aggregateEvery: options.rtbTagsPerSecond,
        aggregateVisibilityMs: 5000,
        finalCheck: false,
      });
      this.rtbLoad = { workload, done: workload.run().catch(() => undefined) };
      progress.line(
        `  ✔ rtb load: ${options.rtbTagsPerSecond} tags/s, a profile query per 10 tags, an aggregates query per second, every answer checked`,
      );
    }

    this.urls = {
      api: apiUrl,
      rtb: `http://127.0.0.1:${rtbPorts.api}`,
      console: consoleUrl,
      prometheus: prometheusUrl,
      alertmanager: alertmanagerUrl,
      redis: redisUrl,
      replicas: Object.fromEntries([...replicas].map(([name, port]) => [name, `http://127.0.0.1:${port}`])),
      workDir,
    };
    await writeFile(join(workDir, 'urls.json'), JSON.stringify({ ...this.urls, adminToken }, null, 2));
    if (options.statusEverySeconds > 0) {
      this.statusTimer = setInterval(() => {
        statusLine(this.prometheus, options.replicas).then(
          (line) => progress.line(line),
          () => undefined,
        );
      }, options.statusEverySeconds * 1000);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.statusTimer);
    await this.load?.stop();
    this.rtbLoad?.workload.stop();
    await this.rtbLoad?.done;
    const byName = (...names: string[]) =>
      this.processes.filter((process) => names.some((name) => process.spec.name.startsWith(name)));
    for (const group of [['prometheus'], ['alertmanager']])
      await Promise.all(byName(...group).map((process) => process.stop()));
    await this.loadBalancer?.stop();
    await Promise.all(byName('api-', 'rtb-', 'redis-exporter').map((process) => process.stop()));
    await Promise.all(this.processes.map((process) => process.stop()));
    await this.console?.stop();
    if (this.createdWorkDir && !this.options.keepWorkDir && this.workDir)
      await rm(this.workDir, { recursive: true, force: true });
  }

  /** Kills every child process at once (SIGKILL), synchronously: the last resort on the way out. */
  killNow(): void {
    for (const process of this.processes) process.crash();
  }

  private async run(spec: ProcessSpec): Promise<void> {
    if (this.stopped) throw new Error(`not starting ${spec.name}: the platform is stopping`);
    const managed = new ManagedProcess(spec, this.supervision);
    this.processes.push(managed);
    await managed.start();
  }

  private readonly supervision: SupervisionEvents = {
    exited: (name, description, restartInMs) =>
      this.progress.line(
        `  ! ${name} exited (${description})${restartInMs === undefined ? '' : `; restarting in ${(restartInMs / 1000).toFixed(1)} s`}`,
      ),
    restarted: (name) => this.progress.line(`  ✔ ${name} is back`),
  };

  private async checkPorts(): Promise<void> {
    const wanted: [number, string, string][] = [
      [this.options.lbPort, '--lb-port', 'LB_PORT'],
      [this.options.prometheusPort, '--prometheus-port', 'PROMETHEUS_PORT'],
      [this.options.alertmanagerPort, '--alertmanager-port', 'ALERTMANAGER_PORT'],
      [this.options.consolePort, '--console-port', 'CONSOLE_PORT'],
    ];
    const ports = wanted.map(([port]) => port);
    if (new Set(ports).size !== ports.length)
      throw new PortInUseError(`two parts were given the same port: ${ports.join(', ')}`);
    for (const [port, flag, variable] of wanted) {
      if (!(await isPortFree(port))) {
        throw new PortInUseError(
          `port ${port} is in use (is another platform or Prometheus running?); choose another with ${flag} <port> or ${variable}=<port>`,
        );
      }
    }
  }

  private async buildApi(workDir: string): Promise<void> {
    const logFile = join(workDir, 'logs', 'build.log');
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    await new Promise<void>((resolve, reject) => {
      execFile(
        npx,
        [
          'nx',
          'run-many',
          '-t',
          'build',
          '-p',
          '@clustache/cache-api',
          '@clustache/rtb',
          '--outputStyle=static',
        ],
        { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          void writeFile(logFile, stdout + stderr).then(() => {
            if (error) reject(new Error(`the build failed; see ${logFile}`));
            else resolve();
          });
        },
      );
    });
    for (const main of [API_MAIN, RTB_MAIN])
      await readFile(main).catch(() => {
        throw new Error(`the build did not produce ${main}; see ${logFile}`);
      });
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
