/**
 * Zipf-like key popularity: key k (1-based) is drawn with probability proportional to 1/k^s,
 * so a few keys are hot and a long tail is cold, as in real cache traffic. Sampling is a
 * binary search over the precomputed cumulative distribution.
 */
export class ZipfKeys {
  private readonly cumulative: Float64Array;

  /**
   * @param count number of distinct keys
   * @param exponent s; larger is more skewed. @default 1.1
   */
  constructor(
    readonly count: number,
    readonly exponent = 1.1,
    private readonly random: () => number = Math.random,
  ) {
    if (!(Number.isInteger(count) && count > 0))
      throw new Error(`count must be a positive integer; got ${count}`);
    this.cumulative = new Float64Array(count);
    let total = 0;
    for (let k = 1; k <= count; k++) {
      total += 1 / k ** exponent;
      this.cumulative[k - 1] = total;
    }
    for (let i = 0; i < count; i++) this.cumulative[i]! /= total;
  }

  /** A key rank from 1 (hottest) to `count`. */
  next(): number {
    const target = this.random();
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }
}
