/** What every benchmark scenario gets from the runner and gives back to it. */

export interface BenchContext {
  /** A real redis-server the runner started on a free loopback port for this run. */
  redisUrl: string;
  /** Prints a progress line under the scenario's heading. */
  progress(line: string): void;
}

export interface ScenarioResult {
  /** The scenario's section of docs/benchmarks.md: heading, what it measures, table, notes. */
  markdown: string;
  /** One line for the console once the scenario is done. */
  summary: string;
  /** Print the markdown, write it nowhere (a scaled-down smoke run, say). */
  printOnly?: boolean;
}

export interface Scenario {
  /** Used by `npm run bench -- --only <id>`. */
  id: string;
  title: string;
  /**
   * A scenario with a block of its own in docs/benchmarks.md (`<!-- block:start -->`) writes it
   * there, also when run alone with `--only`; the others go into the engine block of a full run.
   */
  block?: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}

/** The reproduce line every table carries. */
export function reproduce(id: string): string {
  return `Reproduce: \`npm run bench\` (all tables) or \`npm run bench -- --only ${id}\` (this one, printed only).`;
}
