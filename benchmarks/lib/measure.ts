import { median } from './stats';

/** Ops between clock reads: a clock read costs ~100 ns here, so reading it per op would skew short ops. */
const BATCH = 1024;

/** Nanoseconds per call of `op`, awaiting each call as real code does, over about `ms` milliseconds. */
export async function timeAwaited(op: (i: number) => unknown, ms: number): Promise<number> {
  let ops = 0;
  const start = performance.now();
  const deadline = start + ms;
  let now = start;
  do {
    for (let j = 0; j < BATCH; j++) await op(ops++);
    now = performance.now();
  } while (now < deadline);
  return ((now - start) * 1e6) / ops;
}

/** Nanoseconds per call of a synchronous `op` over about `ms` milliseconds. */
export function timeSync(op: (i: number) => unknown, ms: number): number {
  let ops = 0;
  const start = performance.now();
  const deadline = start + ms;
  let now = start;
  do {
    for (let j = 0; j < BATCH; j++) op(ops++);
    now = performance.now();
  } while (now < deadline);
  return ((now - start) * 1e6) / ops;
}

/** One side of a comparison: `round()` measures once and answers nanoseconds per operation. */
export interface Contender {
  name: string;
  round(): Promise<number> | number;
}

export interface RoundsOptions {
  /** Measured rounds per contender; one untimed warm-up round comes first. */
  rounds: number;
  onRound?: (round: number) => void;
}

/** Per-round nanoseconds per operation of each contender, keyed by name. */
export type Samples = Map<string, number[]>;

/**
 * Runs the contenders in interleaved rounds (A, B, A, B… with the order reversed every other
 * round), so machine noise — other engineers' test runs on these 2 cores — hits every contender
 * alike instead of whichever happened to run during a busy second.
 */
export async function interleave(contenders: readonly Contender[], options: RoundsOptions): Promise<Samples> {
  const samples: Samples = new Map(contenders.map((c) => [c.name, []]));
  for (const contender of contenders) await contender.round();
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) samples.get(contender.name)!.push(await contender.round());
    options.onRound?.(round + 1);
  }
  return samples;
}

/** Median nanoseconds per operation of one contender. */
export function medianOf(samples: Samples, name: string): number {
  return median(samples.get(name)!);
}

/** Median over rounds of `slower / faster` taken within each round, robust to rounds that were noisy for both. */
export function medianRatio(samples: Samples, slower: string, faster: string): number {
  const a = samples.get(slower)!;
  const b = samples.get(faster)!;
  return median(a.map((ns, i) => ns / b[i]!));
}

/** "min–max" of a contender's rounds, to show how noisy they were. */
export function spread(samples: Samples, name: string, format: (ns: number) => string): string {
  const values = samples.get(name)!;
  return `${format(Math.min(...values))} – ${format(Math.max(...values))}`;
}
