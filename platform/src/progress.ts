/**
 * What the platform prints while it starts, runs and stops: one line per finished step with
 * how long it took, so a slow or failing part is obvious.
 */
export class Progress {
  private readonly started = Date.now();

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  line(text: string): void {
    this.write(text);
  }

  /** Runs a step; prints "✔ label detail (1.2 s)" or "✘ label: error" and rethrows. */
  async step<T>(label: string, run: () => Promise<T>, detail: (result: T) => string = () => ''): Promise<T> {
    const begun = Date.now();
    try {
      const result = await run();
      const text = detail(result);
      this.write(`  ✔ ${label}${text ? `  ${text}` : ''}  (${seconds(Date.now() - begun)})`);
      return result;
    } catch (error) {
      this.write(`  ✘ ${label}: ${(error as Error).message}`);
      throw error;
    }
  }

  elapsed(): string {
    return seconds(Date.now() - this.started);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
