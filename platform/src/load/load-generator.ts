import { Agent, request } from 'node:http';
import { K6Metrics, type RequestOutcome } from './k6-metrics';
import { pushSeries } from './remote-write';
import { TrafficMix, type PlannedRequest } from './traffic-mix';
import { ZipfKeys } from '@clustache/traffic-mix';

export interface LoadOptions {
  /** The load balancer, e.g. http://127.0.0.1:8080 */
  targetUrl: string;
  /** Requests started per second (open model: the rate holds even when answers slow down). */
  rps: number;
  keys: number;
  adminToken: string;
  /** Where to push k6-style metrics; unset sends none. */
  remoteWriteUrl?: string;
  /** @default 5000, as k6's K6_PROMETHEUS_RW_PUSH_INTERVAL */
  pushEveryMs?: number;
  /** Requests in flight beyond which new ones are skipped (counted as failed). @default 200 */
  maxInFlight?: number;
}

const SEED_CONCURRENCY = 16;

/**
 * The platform's steady load: first creates every item once, then starts `rps` requests per
 * second from the traffic mix (zipf-like keys; reads, writes, invalidations) through the load
 * balancer, and reports what it measured the way k6 does, by remote write.
 */
export class LoadGenerator {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly mix: TrafficMix;
  private readonly metrics = new K6Metrics({ scenario: 'steady', testid: 'clustache-platform' });
  private inFlight = 0;
  private ticker: NodeJS.Timeout | undefined;
  private pusher: NodeJS.Timeout | undefined;
  private stopped = false;
  private pushWarned = false;
  /** Totals since start, for the terminal summary. */
  readonly totals = { sent: 0, ok: 0, failed: 0 };

  constructor(private readonly options: LoadOptions) {
    this.mix = new TrafficMix(new ZipfKeys(options.keys));
  }

  /** Creates the items (so reads find them), then starts the steady load. */
  async start(): Promise<void> {
    const seeds = this.mix.seedRequests();
    let next = 0;
    const worker = async () => {
      while (!this.stopped && next < seeds.length) await this.send(seeds[next++]!);
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
    if (this.stopped) return;
    const tickMs = 20;
    let owed = 0;
    let last = Date.now();
    this.ticker = setInterval(() => {
      const now = Date.now();
      owed += ((now - last) / 1000) * this.options.rps;
      last = now;
      for (; owed >= 1; owed--) void this.send(this.mix.next());
    }, tickMs);
    if (this.options.remoteWriteUrl !== undefined) {
      this.pusher = setInterval(() => void this.push(), this.options.pushEveryMs ?? 5000);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.ticker);
    clearInterval(this.pusher);
    this.agent.destroy();
  }

  private async push(): Promise<void> {
    this.metrics.setVus(this.inFlight);
    try {
      await pushSeries(this.options.remoteWriteUrl!, this.metrics.flush(Date.now()));
    } catch (error) {
      if (!this.pushWarned)
        console.warn(`load: cannot push metrics (${(error as Error).message}); will keep trying`);
      this.pushWarned = true;
    }
  }

  private async send(planned: PlannedRequest): Promise<void> {
    if (this.stopped) return;
    if (this.inFlight >= (this.options.maxInFlight ?? 200)) {
      this.record(planned, 0, false, 0);
      return;
    }
    this.inFlight++;
    const started = performance.now();
    const status = await this.exchange(planned);
    this.inFlight--;
    this.record(planned, status, planned.expected.includes(status), performance.now() - started);
    const repair = this.mix.repair(planned, status);
    if (repair !== undefined) await this.send(repair);
  }

  private record(planned: PlannedRequest, status: number, expected: boolean, durationMs: number): void {
    const outcome: RequestOutcome = {
      method: planned.method,
      name: planned.name,
      status,
      expected,
      durationMs,
    };
    this.metrics.record(outcome);
    this.totals.sent++;
    if (expected) this.totals.ok++;
    else this.totals.failed++;
  }

  /** The response status, or 0 when there was none. */
  private exchange(planned: PlannedRequest): Promise<number> {
    return new Promise((resolve) => {
      const body = planned.body === undefined ? undefined : JSON.stringify(planned.body);
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (planned.admin) headers['authorization'] = `Bearer ${this.options.adminToken}`;
      const req = request(
        `${this.options.targetUrl}${planned.path}`,
        { method: planned.method, headers, agent: this.agent, timeout: 10_000 },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
          res.once('error', () => resolve(0));
        },
      );
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => resolve(0));
      req.end(body);
    });
  }
}
