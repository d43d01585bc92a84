import { SchedulingDelay } from '@clustache/testing';

interface Write {
  completedAt: number;
  value: number;
}

/**
 * Knows every write and judges every read: the oracle of the fault table and the soak. Values
 * are write numbers that grow per key; a read is stale when it returns a number older than a
 * write that completed more than `boundMs` before the read started. `boundMs` is the promise
 * under test: the staleness bound (`bus.maxLagMs`) plus timer slack. On a busy machine the
 * engine's timers (heartbeats, silence checks) fire late, and so its bound stretches: twice the
 * worst scheduling delay measured so far is added (a silence is noticed by one timer and answered
 * on the next turn).
 */
export class CoherenceChecker {
  private readonly scheduling = SchedulingDelay.start();
  private readonly writes = new Map<string, Write[]>();
  private readonly createdAt = performance.now();
  reads = 0;
  staleReads = 0;
  readErrors = 0;
  readonly examples: string[] = [];
  readonly errorExamples: string[] = [];

  constructor(readonly boundMs: number) {}

  wrote(key: string, value: number, completedAt = performance.now()): void {
    let list = this.writes.get(key);
    if (list === undefined) this.writes.set(key, (list = []));
    list.push({ completedAt, value });
    // Reads start now or later, so of the writes older than the bound only the newest still matters.
    const horizon = completedAt - this.boundMs - 2 * this.scheduling.worstMs - 1000;
    while (list.length > 1 && list[1]!.completedAt < horizon) list.shift();
  }

  /** `by` says who answered, for the examples of stale reads. */
  read(key: string, value: number | undefined, startedAt: number, by = ''): void {
    this.reads++;
    const required = this.newestBefore(key, startedAt - this.boundMs - 2 * this.scheduling.worstMs);
    if (required === undefined || (value !== undefined && value >= required.value)) return;
    this.staleReads++;
    if (this.examples.length >= 5) return;
    const at = (time: number) => `${(time - this.createdAt).toFixed(0)} ms`;
    this.examples.push(
      `${key}: read ${value} (${by}) at ${at(startedAt)}, but ${required.value} was written by ${at(required.completedAt)}`,
    );
  }

  /** The worst scheduling delay seen while judging (the bound grew by twice this). */
  get schedulingDelayMs(): number {
    return this.scheduling.worstMs;
  }

  /** Stops measuring the scheduling delay (the workload stopped reading). */
  stop(): void {
    this.scheduling.stop();
  }

  failed(error: unknown): void {
    this.readErrors++;
    if (this.errorExamples.length < 3)
      this.errorExamples.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }

  /** The newest write to `key` that completed before `time`. */
  private newestBefore(key: string, time: number): Write | undefined {
    let newest: Write | undefined;
    for (const write of this.writes.get(key) ?? []) {
      if (write.completedAt < time && (newest === undefined || write.value > newest.value)) newest = write;
    }
    return newest;
  }
}
