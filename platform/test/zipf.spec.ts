import { ZipfKeys } from '../src/load/zipf';

describe('ZipfKeys', () => {
  it('draws every key in range, hot keys far more often than cold ones', () => {
    const keys = new ZipfKeys(1000, 1.1);
    const counts = new Map<number, number>();
    const draws = 100_000;
    for (let i = 0; i < draws; i++) {
      const key = keys.next();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(Math.min(...counts.keys())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts.keys())).toBeLessThanOrEqual(1000);
    const share = (from: number, to: number) => {
      let total = 0;
      for (let key = from; key <= to; key++) total += counts.get(key) ?? 0;
      return total / draws;
    };
    // With s = 1.1 over 1000 keys the top 1% of keys take about 45% of draws, the bottom half under 10%.
    expect(share(1, 10)).toBeGreaterThan(0.35);
    expect(share(501, 1000)).toBeLessThan(0.12);
    expect(counts.get(1)!).toBeGreaterThan(counts.get(2)!);
    expect(counts.size).toBeGreaterThan(500);
  });

  it('is deterministic for a given random source', () => {
    const sequence = (seed: number) => {
      let state = seed;
      const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
      const keys = new ZipfKeys(50, 1.1, random);
      return Array.from({ length: 20 }, () => keys.next());
    };
    expect(sequence(7)).toEqual(sequence(7));
  });

  it('refuses an empty key space', () => {
    expect(() => new ZipfKeys(0)).toThrow('count must be a positive integer');
  });
});
