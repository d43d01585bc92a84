/**
 * `npm run bench:rtb`: the issue's done-when run for the RTB workload (seed 004). Everything on
 * this machine: a redis-server on a free port, `npm run start:rtb`'s process (the API with two
 * aggregators), and the generator with its reference model in this process, at 1000 tags/s for
 * RTB_BENCH_SECONDS (default 1800). It prints progress each minute, samples memory every 10 s,
 * and writes the counts, latency percentiles and memory to docs/benchmarks.md with a picture of
 * memory over time in docs/rtb-memory.svg.
 *
 * Retention is shortened for the run (profiles 10 min, aggregates 20 min, set by
 * RTB_PROFILE_RETENTION_SECONDS / RTB_AGGREGATE_RETENTION_MINUTES) so the trim window is
 * reached well within 30 minutes and the flat part of the memory curve can be seen.
 * `npm run bench:rtb -- --print-only` prints the tables without writing docs/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { freePort, RedisServer, ServiceProcess, waitFor } from '@clustache/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the platform console's chart drawing, used as it is
import { svgDocument, type ChartSeries } from '../../platform/src/console/svg-chart';
import { Workload, type KindReport, type WorkloadReport } from '@clustache/rtb-contract';
import { gitCommit, writeMarkedBlock } from '../lib/doc';
import { table } from '../lib/format';

const ROOT = resolve(__dirname, '..', '..');
const DOC = resolve(ROOT, 'docs', 'benchmarks.md');
const PICTURE = resolve(ROOT, 'docs', 'rtb-memory.svg');
const SECONDS = Number(process.env['RTB_BENCH_SECONDS'] ?? 1800);
const RATE = Number(process.env['RTB_BENCH_RATE'] ?? 1000);
/** `--print-only`: print the block without touching docs/ (trial runs). */
const PRINT_ONLY = process.argv.includes('--print-only');
const RETENTION = { profileSeconds: 600, aggregateMinutes: 20 };

interface Sample {
  atS: number;
  redisBytes: number;
  rtbRssBytes: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const redis = await RedisServer.start();
  const port = await freePort();
  const rtb = ServiceProcess.start(resolve(ROOT, 'apps/rtb/src/main.ts'), {
    REDIS_URL: redis.url,
    PORT: String(port),
    INSTANCE_ID: 'bench',
    RTB_AGGREGATORS: '2',
    RTB_PROFILE_RETENTION_SECONDS: String(RETENTION.profileSeconds),
    RTB_AGGREGATE_RETENTION_MINUTES: String(RETENTION.aggregateMinutes),
  });
  const stop = async () => {
    await rtb.kill();
    await redis.kill();
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  const client = new Redis(redis.url, { disableClientInfo: true });
  const samples: Sample[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.ok === true,
      {
        timeoutMs: 30_000,
        description: 'the rtb process',
      },
    );
    console.log(
      `redis-server :${redis.port}, rtb :${port} (pid ${rtb.child.pid}); ${SECONDS} s at ${RATE} tags/s`,
    );
    const sample = async () =>
      samples.push({
        atS: (Date.now() - started) / 1000,
        redisBytes: Number((await client.info('memory')).match(/^used_memory:(\d+)/m)?.[1]),
        rtbRssBytes: rss(rtb.child.pid!),
      });
    await sample();
    sampler = setInterval(() => void sample(), 10_000);
    const report = await new Workload({
      baseUrl: `http://127.0.0.1:${port}`,
      seed: 2022,
      tagsPerSecond: RATE,
      durationMs: SECONDS * 1000,
      profileWindowMs: (RETENTION.profileSeconds / 2) * 1000,
      aggregateRetentionMs: RETENTION.aggregateMinutes * 60_000,
      progress: console.log,
      progressEveryMs: 60_000,
    }).run();
    clearInterval(sampler);
    await sample();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    write(report, samples, metrics);
    console.log(JSON.stringify({ ...report, mismatches: report.mismatches.length }, null, 1));
  } finally {
    clearInterval(sampler);
    client.disconnect();
    await stop();
  }
}

function rss(pid: number): number {
  const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)?.[1];
  return Number(kb) * 1024;
}

function write(report: WorkloadReport, samples: Sample[], metrics: string): void {
  const row = (name: string, kind: KindReport, timeoutMs: number, answers: boolean) => [
    name,
    String(kind.sent),
    String(kind.failed),
    answers ? String(kind.correct) : '–',
    answers ? String(kind.wrong) : '–',
    `${kind.p50Ms.toFixed(1)} ms`,
    `${kind.p99Ms.toFixed(1)} ms`,
    `${kind.maxMs.toFixed(0)} ms`,
    `${kind.slow} over ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`,
  ];
  const at = (fraction: number) =>
    samples[Math.min(samples.length - 1, Math.round((samples.length - 1) * fraction))]!;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const counter = (name: string) => metrics.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? '?';
  const block = [
    '## RTB workload (seed 004)',
    '',
    '```sh',
    `RTB_BENCH_SECONDS=${SECONDS} npm run bench:rtb   # benchmarks/rtb/run.ts`,
    '```',
    '',
    `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${gitCommit()}, Node ${process.version}; ` +
      `${Math.round(report.seconds)} s at ${RATE} tags/s, everything on this 2-core machine: redis-server, ` +
      '`npm run start:rtb` (the API and 2 aggregators in one process) and the generator with its reference model. ' +
      `Retention shortened to ${RETENTION.profileSeconds / 60} min (profiles) and ${RETENTION.aggregateMinutes} min (aggregates) ` +
      'so the trim window is reached within the run. Aggregates queries cover tags sent at least 60 s before (the contract); ' +
      'each minute of the run is checked once more at the end.',
    '',
    table(
      [
        'request',
        'sent',
        'dropped / failed',
        'right',
        'wrong',
        'p50',
        'p99',
        'max',
        'slow (contract timeout)',
      ],
      [
        row('`POST /user_tags`', report.tags, 200, false),
        row('`POST /user_profiles/{cookie}`', report.profiles, 200, true),
        row('`POST /aggregates`', report.aggregates, 60_000, true),
      ],
    ),
    '',
    `The generator fell behind its schedule by at most ${report.maxScheduleLagMs.toFixed(0)} ms. ` +
      `Aggregators: ${counter('rtb_aggregator_tags_applied_total')} tags applied, ${counter('rtb_aggregator_tags_duplicate_total')} duplicates skipped, ` +
      `lag at the end ${counter('rtb_aggregation_lag_seconds')} s.`,
    '',
    table(
      ['memory', 'start', '1/3', '2/3', 'end'],
      [
        ['Redis `used_memory`', ...[0, 1 / 3, 2 / 3, 1].map((f) => mib(at(f).redisBytes))],
        ['RTB process RSS', ...[0, 1 / 3, 2 / 3, 1].map((f) => mib(at(f).rtbRssBytes))],
      ],
    ),
    '',
    '![Memory over the run](rtb-memory.svg)',
  ].join('\n');
  if (PRINT_ONLY) {
    console.log(block);
    return;
  }
  writeMarkedBlock(DOC, 'rtb', block);
  const series = (label: string, pick: (s: Sample) => number): ChartSeries => ({
    label,
    points: samples.map((s) => [s.atS, pick(s)]),
  });
  writeFileSync(
    PICTURE,
    svgDocument(
      [
        { title: 'Redis used_memory', unit: 'bytes', series: [series('redis', (s) => s.redisBytes)] },
        { title: 'RTB process RSS', unit: 'bytes', series: [series('rtb', (s) => s.rtbRssBytes)] },
      ],
      2,
    ),
  );
  console.log(`wrote ${DOC} and ${PICTURE}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
