import autocannon from 'autocannon';

/** One load run's outcome. */
export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses plus connection errors and timeouts: must be 0 for the run to count. */
  failures: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
}

/** Drives `url` with autocannon (in this process, keep-alive, no pipelining) and reads the summary. */
export async function drive(url: string, { connections, durationSeconds }: LoadOptions): Promise<Measurement> {
  const result = await autocannon({ url, connections, duration: durationSeconds, pipelining: 1 });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
