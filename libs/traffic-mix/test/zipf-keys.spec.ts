import { seededRandom } from '@clustache/testing';
import { ZipfKeys } from '../src';

function histogram(keys: ZipfKeys, draws: number): number[] {
  const counts = new Array<number>(keys.count).fill(0);
  for (let i = 0; i < draws; i++) counts[keys.next()]!++;
  return counts;
}

describe('ZipfKeys', () => {
  it('draws only ids from 0 to count-1', () => {
    const keys = new ZipfKeys(50, 1.1, seededRandom(1));
    for (let i = 0; i < 10_000; i++) {
      const id = keys.next();
      expect(Number.isInteger(id) && id >= 0 && id < 50).toBe(true);
    }
  });

  it('follows 1/k^s: id 0 about 2^s times as often as id 1, and the hottest 10% take most draws', () => {
    const keys = new ZipfKeys(1000, 1.1, seededRandom(7));
    const counts = histogram(keys, 200_000);
    expect(counts[0]! / counts[1]!).toBeGreaterThan(2 ** 1.1 * 0.9);
    expect(counts[0]! / counts[1]!).toBeLessThan(2 ** 1.1 * 1.1);
    const top = counts.slice(0, 100).reduce((a, b) => a + b, 0);
    expect(top / 200_000).toBeGreaterThan(0.6);
    // ...and the long tail is still reached.
    expect(counts.slice(500).some((count) => count > 0)).toBe(true);
  });

  it('draws hot keys far more often than cold ones, over most of the key space', () => {
    const keys = new ZipfKeys(1000, 1.1);
    const draws = 100_000;
    const counts = histogram(keys, draws);
    const share = (from: number, to: number) => counts.slice(from, to).reduce((a, b) => a + b, 0) / draws;
    // With s = 1.1 over 1000 keys the top 1% of keys take about 45% of draws, the bottom half under 10%.
    expect(share(0, 10)).toBeGreaterThan(0.35);
    expect(share(500, 1000)).toBeLessThan(0.12);
    expect(counts[0]!).toBeGreaterThan(counts[1]!);
    expect(counts.filter((count) => count > 0).length).toBeGreaterThan(500);
  });

  it('is uniform with exponent 0', () => {
    const counts = histogram(new ZipfKeys(10, 0, seededRandom(3)), 100_000);
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });

  it('is deterministic for a given random source', () => {
    const sequence = (seed: number) => {
      const keys = new ZipfKeys(50, 1.1, seededRandom(seed));
      return Array.from({ length: 20 }, () => keys.next());
    };
    expect(sequence(7)).toEqual(sequence(7));
  });

  it('returns distinct ids for a batch', () => {
    const ids = new ZipfKeys(1000, 1.1, seededRandom(5)).distinct(10);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    expect(new ZipfKeys(3, 1.1, seededRandom(5)).distinct(10).sort()).toEqual([0, 1, 2]);
  });

  it('refuses a bad count or exponent with a message naming it', () => {
    expect(() => new ZipfKeys(0)).toThrow(/count must be a positive integer/);
    expect(() => new ZipfKeys(10, -1)).toThrow(/exponent must be 0 or more/);
  });
});
