import { MissingBinariesError } from './binaries';
import { parseOptions, USAGE, type PlatformOptions } from './options';
import { Platform, PortInUseError } from './platform';
import { Progress } from './progress';

/**
 * `npm start`: checks the binaries, builds the API, starts the platform with progress, prints
 * where everything is, and on Ctrl-C (SIGINT), SIGTERM or SIGHUP stops every part before
 * exiting. A second Ctrl-C while stopping kills every part at once.
 */
/** Signals closer together than this are one Ctrl-C relayed by npm and tsx. */
const RELAYED_SIGNAL_MS = 2000;

async function main(): Promise<void> {
  let options: PlatformOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const progress = new Progress();
  progress.line(
    `Starting the Clustache platform: ${options.replicas} API replicas${options.redisUrl ? `, Redis at ${options.redisUrl}` : ''}`,
  );

  const platform = new Platform(options, progress);
  let stopping: Promise<void> | undefined;
  let firstSignalAt = 0;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping !== undefined) {
      // npm and tsx relay the terminal's Ctrl-C, so one key press can arrive two or three times.
      if (Date.now() - firstSignalAt < RELAYED_SIGNAL_MS) return;
      progress.line(`${signal} again: killing every part now`);
      platform.killNow();
      process.exit(130);
    }
    firstSignalAt = Date.now();
    progress.line(`\n${signal}: stopping every part… (press Ctrl-C again to kill them at once)`);
    stopping = platform.stop().then(() => {
      progress.line('stopped; no process or port left behind');
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  // Whatever ends this process (an exception included), its children do not outlive it.
  process.on('exit', () => platform.killNow());

  try {
    await platform.start();
  } catch (error) {
    if (stopping !== undefined) return; // interrupted while starting: `stop` exits when all is down
    const known = error instanceof MissingBinariesError || error instanceof PortInUseError;
    progress.line(
      `\ncannot start the platform: ${known ? error.message : ((error as Error).stack ?? error)}`,
    );
    process.exit(1);
  }
  if (stopping !== undefined) return;
  const { urls } = platform;
  const replicas = Object.entries(urls.replicas)
    .map(([name, url]) => `${name} ${url}`)
    .join(', ');
  progress.line(`
Clustache is running (ready in ${progress.elapsed()}):
  API (load balancer)   ${urls.api}          try: curl ${urls.api}/items/1
  RTB API (seed 004)    ${urls.rtb}          try: curl -XPOST '${urls.rtb}/aggregates?time_range=2022-03-01T00:00:00_2022-03-01T00:05:00&action=VIEW&aggregates=COUNT'
  Overview              ${urls.console}          fill ratio, pub/sub share, latency (image: ${urls.console}/overview.svg)
  Prometheus            ${urls.prometheus}          alerts: ${urls.prometheus}/alerts
  Alertmanager          ${urls.alertmanager}
  Notifications         ${urls.console}/notifications   (the webhook receiver)
  Redis                 ${urls.redis}
  Replicas              ${replicas}
  Logs                  ${urls.workDir}/logs
Press Ctrl-C to stop.
`);
}

void main();
