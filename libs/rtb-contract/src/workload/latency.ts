/** Every latency of one request kind, for exact percentiles at the end of a run. */
export class Latencies {
  private values = new Float64Array(1024);
  private length = 0;

  add(ms: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = ms;
  }

  get count(): number {
    return this.length;
  }

  /** Percentiles (0-100) in ms, nearest rank; NaN when empty. */
  percentiles(...ranks: number[]): number[] {
    const sorted = this.values.slice(0, this.length).sort();
    return ranks.map((rank) =>
      sorted.length === 0
        ? Number.NaN
        : sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((rank / 100) * sorted.length) - 1))]!,
    );
  }
}
