import type { CoherentCache } from '../../src';
import { CoherenceChecker } from './coherence-checker';

/** What the workload needs of a replica: an in-process cache or one in a child process. */
export type WorkloadReplica = Pick<CoherentCache<number>, 'lookup' | 'set' | 'delete'>;

export interface WorkloadOptions {
  keys: number;
  /** Pause between two writes. */
  writeEveryMs: number;
  readers: number;
}

/**
 * Steady reads and writes over replicas that share one source of record (a Map standing for a
 * database, the loader's only way to read). Writes update the source, then the cache: half by
 * `set` (write-through), half by `delete` (invalidate). Every write and read goes to the checker.
 */
export class Workload {
  readonly source = new Map<string, number>();
  readonly checker: CoherenceChecker;
  /** Set to make the loader throw (source errors) or hang (source timeouts). */
  sourceFault: 'none' | 'error' | 'hang' = 'none';
  /** Calls of the loader so far: reads that reached the source. */
  sourceLoads = 0;
  private counter = 0;

  /** Writes made so far. */
  get writes(): number {
    return this.counter;
  }
  private running = false;
  private loops: Promise<void>[] = [];
  /** Replicas taken out of the pool (see `isolate`), and the reads started at them. */
  private readonly isolated = new Set<WorkloadReplica>();
  private readonly probeTimers = new Set<NodeJS.Timeout>();
  private probes: Promise<void>[] = [];

  /** Reads started at isolated replicas (see `isolate`). */
  get probeReads(): number {
    return this.probes.length;
  }

  constructor(
    private readonly replicas: WorkloadReplica[],
    private readonly options: WorkloadOptions,
    boundMs: number,
  ) {
    this.checker = new CoherenceChecker(boundMs);
    for (let i = 0; i < options.keys; i++) this.source.set(`k${i}`, 0);
  }

  start(): void {
    this.running = true;
    this.loops = [this.writeLoop(), ...Array.from({ length: this.options.readers }, () => this.readLoop())];
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.probeTimers) clearInterval(timer);
    this.probeTimers.clear();
    await Promise.all([...this.loops, ...this.probes]);
    this.checker.stop();
  }

  /**
   * Takes `replica` out of the pool while it hangs (paused, stalled): writes and pooled reads go
   * to the others, so writes continue; instead a read is started at it every `everyMs` without
   * waiting for the last, and each is judged by when it started. Returns what puts it back.
   */
  isolate(replica: WorkloadReplica, everyMs = 20): () => void {
    this.isolated.add(replica);
    const probe = setInterval(() => this.probes.push(this.readFrom(replica)), everyMs);
    this.probeTimers.add(probe);
    return () => {
      clearInterval(probe);
      this.probeTimers.delete(probe);
      this.isolated.delete(replica);
    };
  }

  private loader = async (key: string): Promise<number | undefined> => {
    this.sourceLoads++;
    if (this.sourceFault === 'error') throw new Error('source error (injected)');
    if (this.sourceFault === 'hang') await new Promise((resolve) => setTimeout(resolve, 10_000));
    await new Promise((resolve) => setImmediate(resolve));
    return this.source.get(key);
  };

  private async writeLoop(): Promise<void> {
    while (this.running) {
      const key = this.randomKey();
      const value = ++this.counter;
      this.source.set(key, value);
      const replica = this.pick();
      try {
        if (value % 2 === 0) await replica.set(key, value);
        else await replica.delete(key);
      } catch {
        // a failed cache write leaves the source written: peers must still not serve the old value
      }
      this.checker.wrote(key, value);
      await new Promise((resolve) => setTimeout(resolve, this.options.writeEveryMs));
    }
  }

  private async readLoop(): Promise<void> {
    while (this.running) {
      await this.readFrom(this.pick());
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async readFrom(replica: WorkloadReplica): Promise<void> {
    const key = this.randomKey();
    const startedAt = performance.now();
    try {
      const result = await replica.lookup(key, this.loader);
      this.checker.read(key, result.value, startedAt, `${this.replicas.indexOf(replica)}/${result.from}`);
    } catch (error) {
      this.checker.failed(error);
    }
  }

  private randomKey(): string {
    // zipf-like: low keys are hot
    return `k${Math.floor(this.options.keys * Math.random() ** 2)}`;
  }

  private pick(): WorkloadReplica {
    const pool =
      this.isolated.size === 0 ? this.replicas : this.replicas.filter((r) => !this.isolated.has(r));
    return pool[Math.floor(Math.random() * pool.length)]!;
  }
}
