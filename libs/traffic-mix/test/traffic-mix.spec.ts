import { pickRequestKind, TRAFFIC_MIX, type RequestKind } from '../src';

describe('TRAFFIC_MIX', () => {
  const kinds = Object.keys(TRAFFIC_MIX) as RequestKind[];

  it('shares out the whole traffic, every kind a part of it', () => {
    const total = kinds.reduce((sum, kind) => sum + TRAFFIC_MIX[kind], 0);
    expect(total).toBeCloseTo(1, 12);
    for (const kind of kinds) expect(TRAFFIC_MIX[kind]).toBeGreaterThan(0);
  });

  it('gives each kind a slice of [0, 1) as wide as its share, in the order of the table', () => {
    let start = 0;
    for (const kind of kinds) {
      expect(pickRequestKind(start)).toBe(kind);
      start += TRAFFIC_MIX[kind];
      expect(pickRequestKind(start - 1e-9)).toBe(kind);
    }
    expect(pickRequestKind(0.999_999_999)).toBe(kinds.at(-1));
  });

  it('picks each kind in its share from uniform rolls', () => {
    const draws = 100_000;
    const counts = new Map<RequestKind, number>();
    for (let i = 0; i < draws; i++) {
      const kind = pickRequestKind((i + 0.5) / draws);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    for (const kind of kinds) expect((counts.get(kind) ?? 0) / draws).toBeCloseTo(TRAFFIC_MIX[kind], 3);
  });
});
