/**
 * Zipf-like key popularity: key k (1-based) is drawn with probability proportional to 1/k^s.
 * A few hot keys take most of the traffic and a long tail is touched rarely, as in real caches,
 * so the load exercises hits, cold misses and pub/sub fills together. The one key picker of
 * both load generators: the k6 scripts run this file as it is (see traffic-mix.ts), so it
 * imports nothing.
 */
export class ZipfKeys {
  private readonly cdf: Float64Array;

  /**
   * @param count how many distinct keys (ids 0..count-1, id 0 the hottest)
   * @param exponent skew; 0 is uniform, about 1 is web-like. @default 1.1
   * @param random a source of uniform numbers in [0, 1). @default Math.random
   */
  constructor(
    readonly count: number,
    readonly exponent = 1.1,
    private readonly random: () => number = Math.random,
  ) {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`ZipfKeys: count must be a positive integer; got ${count}`);
    if (!(exponent >= 0)) throw new RangeError(`ZipfKeys: exponent must be 0 or more; got ${exponent}`);
    this.cdf = new Float64Array(count);
    let total = 0;
    for (let k = 0; k < count; k++) {
      total += 1 / Math.pow(k + 1, exponent);
      this.cdf[k] = total;
    }
    for (let k = 0; k < count; k++) this.cdf[k] = this.cdf[k]! / total;
  }

  /** The next id, 0..count-1: a binary search of the cumulative distribution. */
  next(): number {
    const u = this.random();
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cdf[mid]! > u) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** `n` distinct ids (at most `count`). */
  distinct(n: number): number[] {
    const ids = new Set<number>();
    const wanted = Math.min(n, this.count);
    for (let tries = 0; ids.size < wanted && tries < wanted * 50; tries++) ids.add(this.next());
    return [...ids];
  }
}
