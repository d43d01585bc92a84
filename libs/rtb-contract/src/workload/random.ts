/**
 * Stateless deterministic randomness: `draw(seed, index, salt)` is a well-mixed 32-bit value of
 * its three inputs, so tag number i can be rebuilt at any time without replaying tags 0..i-1.
 * That is what lets the reference model keep tag numbers instead of tags.
 */
export function draw(seed: number, index: number, salt: number): number {
  let h =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index, 0xc2b2ae35) ^ Math.imul(salt + 1, 0x27d4eb2f);
  h ^= Math.floor(index / 0x1_0000_0000);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform number in [0, 1). */
export function unit(seed: number, index: number, salt: number): number {
  return draw(seed, index, salt) / 0x1_0000_0000;
}

/** An integer in [0, n), skewed towards small values when `skew` > 1 (popular origins, brands). */
export function pick(seed: number, index: number, salt: number, n: number, skew = 1): number {
  return Math.min(n - 1, Math.floor(unit(seed, index, salt) ** skew * n));
}

/** A sequential random source for the query mix (not needed to be rebuildable). */
export class Sequence {
  private next = 0;

  constructor(private readonly seed: number) {}

  unit(): number {
    return unit(this.seed, this.next++, 0x51);
  }

  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.unit() * n));
  }
}
