import type { Reply } from './http-client';
import { Latencies } from './latency';

/** One request kind's outcome: answered within the contract, how fast, and (queries) rightly. */
export interface KindReport {
  sent: number;
  /** 204 for tags, 200 for queries. */
  ok: number;
  /** Any other status, or no answer at all: for tags, a dropped tag. */
  failed: number;
  /** Slower than the contract's timeout (200 ms, or 60 s for aggregates). */
  slow: number;
  correct: number;
  wrong: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * One request kind's running tally (tags, profile or aggregates queries): every latency, and
 * how many answers came back in time, with the right status, and right. The workload keeps
 * one per kind and reports them at the end of a run.
 */
export class KindTally {
  readonly latencies = new Latencies();
  sent = 0;
  ok = 0;
  failed = 0;
  slow = 0;
  correct = 0;
  wrong = 0;

  constructor(private readonly timeoutMs: number) {}

  record(reply: Reply, okStatus: number): boolean {
    this.latencies.add(reply.ms);
    if (reply.ms > this.timeoutMs) this.slow += 1;
    if (reply.status === okStatus) this.ok += 1;
    else this.failed += 1;
    return reply.status === okStatus;
  }

  report(): KindReport {
    const [p50Ms, p99Ms, maxMs] = this.latencies.percentiles(50, 99, 100) as [number, number, number];
    const { sent, ok, failed, slow, correct, wrong } = this;
    return { sent, ok, failed, slow, correct, wrong, p50Ms, p99Ms, maxMs };
  }
}
