import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { cpuSecondsOf } from './cpu-time';

/** One load run's outcome. */
export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses plus connection errors and timeouts: must be 0 for the run to count. */
  failures: number;
  /** CPU the serving processes spent per request, in µs; undefined without /proc. */
  cpuMicrosPerRequest: number | undefined;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
}

/**
 * The load generator: `wrk` (C, one thread) where installed, else autocannon in this process.
 * On 2 cores the generator shares the CPU with the server under test; wrk takes far less of it,
 * so the ratios reflect the servers rather than the client. `API_BENCH_LOAD` picks one explicitly.
 */
export const LOAD_TOOL: 'wrk' | 'autocannon' =
  (process.env['API_BENCH_LOAD'] as 'wrk' | 'autocannon' | undefined) ??
  (spawnSync('wrk', ['--version']).error === undefined ? 'wrk' : 'autocannon');

interface Run {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

/**
 * Drives `url` (keep-alive, no pipelining) and reads the summary, plus the CPU that
 * `servingPids` (the server and whatever it needs, e.g. redis-server) spent meanwhile.
 */
export async function drive(
  url: string,
  { connections, durationSeconds }: LoadOptions,
  servingPids: number[] = [],
): Promise<Measurement> {
  const cpuBefore = totalCpu(servingPids);
  const run =
    LOAD_TOOL === 'wrk'
      ? await withWrk(url, connections, durationSeconds)
      : await withAutocannon(url, connections, durationSeconds);
  const cpuAfter = totalCpu(servingPids);
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return {
    requestsPerSecond: run.requestsPerSecond,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    failures: run.failures,
    cpuMicrosPerRequest: cpu === undefined || run.requests === 0 ? undefined : (cpu * 1e6) / run.requests,
  };
}

async function withAutocannon(url: string, connections: number, duration: number): Promise<Run> {
  const result = await autocannon({ url, connections, duration, pipelining: 1 });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

async function withWrk(url: string, connections: number, duration: number): Promise<Run> {
  const { stdout } = await promisify(execFile)('wrk', [
    '-t1',
    `-c${connections}`,
    `-d${duration}s`,
    '--latency',
    url,
  ]);
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? 'NaN');
  const latency = (percent: number) => {
    const match = new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(stdout);
    if (!match) throw new Error(`no ${percent}% latency in wrk output:\n${stdout}`);
    const ms = Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2] as 'us' | 'ms' | 's'];
    return Math.round(ms * 1000) / 1000; // whole µs: 573us is 0.573 ms, not 0.5730000000000001
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    requests: number(/(\d+) requests in/),
    p50Ms: latency(50),
    p99Ms: latency(99),
    failures:
      (number(/Non-2xx or 3xx responses: (\d+)/) || 0) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

function totalCpu(pids: number[]): number | undefined {
  let sum = 0;
  for (const pid of pids) {
    const seconds = cpuSecondsOf(pid);
    if (seconds === undefined) return undefined;
    sum += seconds;
  }
  return sum;
}
