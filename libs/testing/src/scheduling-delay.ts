/**
 * How late this process's timers fire: a measure of how busy the machine is. A test whose
 * promise is a time bound (a staleness bound, say) adds what this measured to the bound instead
 * of fixed milliseconds of slack, so it holds on a loaded 2-core machine and stays tight on an
 * idle one: the code under test runs on the same timers and is late by as much.
 */
export class SchedulingDelay {
  private worst = 0;
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly intervalMs: number) {}

  /** Starts probing: a timer every `intervalMs`, each one's lateness recorded. */
  static start(intervalMs = 10): SchedulingDelay {
    const delay = new SchedulingDelay(intervalMs);
    delay.schedule();
    return delay;
  }

  /** The latest any probe fired so far, in ms. */
  get worstMs(): number {
    return this.worst;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const due = performance.now() + this.intervalMs;
    this.timer = setTimeout(() => {
      this.worst = Math.max(this.worst, performance.now() - due);
      this.schedule();
    }, this.intervalMs);
    this.timer.unref();
  }
}
