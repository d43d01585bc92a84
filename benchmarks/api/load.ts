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
 * Drives `url` with autocannon (in this process, keep-alive, no pipelining) and reads the
 * summary, plus the CPU that `servingPids` (the server and whatever it needs, e.g. redis-server)
 * spent meanwhile.
 */
export async function drive(
  url: string,
  { connections, durationSeconds }: LoadOptions,
  servingPids: number[] = [],
): Promise<Measurement> {
  const cpuBefore = totalCpu(servingPids);
  const result = await autocannon({ url, connections, duration: durationSeconds, pipelining: 1 });
  const cpuAfter = totalCpu(servingPids);
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMicrosPerRequest:
      cpu === undefined || result.requests.total === 0 ? undefined : (cpu * 1e6) / result.requests.total,
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
