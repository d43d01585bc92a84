import type { CoherentCache } from '../../src';
import { CoherenceChecker } from './coherence-checker';

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
  private counter = 0;

  /** Writes made so far. */
  get writes(): number {
    return this.counter;
  }
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly replicas: CoherentCache<number>[],
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
    await Promise.all(this.loops);
  }

  private loader = async (key: string): Promise<number | undefined> => {
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
      const key = this.randomKey();
      const startedAt = performance.now();
      try {
        const replica = this.pick();
        const result = await replica.lookup(key, this.loader);
        this.checker.read(key, result.value, startedAt, `${this.replicas.indexOf(replica)}/${result.from}`);
      } catch (error) {
        this.checker.failed(error);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private randomKey(): string {
    // zipf-like: low keys are hot
    return `k${Math.floor(this.options.keys * Math.random() ** 2)}`;
  }

  private pick(): CoherentCache<number> {
    return this.replicas[Math.floor(Math.random() * this.replicas.length)]!;
  }
}
