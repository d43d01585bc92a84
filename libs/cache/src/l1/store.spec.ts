import { LruStore } from './lru-store';
import { NodeCacheStore } from './node-cache-store';
import type { EvictionReason, L1Bounds, L1Entry, L1Store } from './store';

const entry = (value: string, overrides: Partial<L1Entry<string>> = {}): L1Entry<string> => ({
  value,
  version: 1,
  origin: 'own',
  writer: 'test',
  expiresAt: Date.now() + 60_000,
  freshUntil: Date.now() + 60_000,
  refreshAt: Infinity,
  size: value.length,
  ...overrides,
});

type Factory = (
  bounds: L1Bounds,
  onEvict: (reason: EvictionReason, count: number) => void,
) => L1Store<string>;

/** The contract every L1 store keeps. */
describe.each<[string, Factory]>([
  ['LruStore', (bounds, onEvict) => new LruStore(bounds, onEvict)],
  ['NodeCacheStore', (bounds, onEvict) => new NodeCacheStore(bounds, onEvict)],
])('%s', (_name, create) => {
  let evictions: Record<EvictionReason, number>;
  const make = (bounds: Partial<L1Bounds> = {}) => {
    evictions = { capacity: 0, expired: 0 };
    return create(
      { maxEntries: 100, maxBytes: 10_000, ...bounds },
      (reason, count) => (evictions[reason] += count),
    );
  };

  it('stores, reads, replaces and deletes, keeping byte and entry counts', () => {
    const store = make();
    expect(store.set('a', entry('xx'))).toBe(true);
    expect(store.set('b', entry('yyy'))).toBe(true);
    expect(store.get('a')?.value).toBe('xx');
    expect([store.entries, store.bytes]).toEqual([2, 5]);
    store.set('a', entry('zzzz'));
    expect([store.entries, store.bytes]).toEqual([2, 7]);
    expect(store.delete('a')).toBe(true);
    expect(store.delete('a')).toBe(false);
    expect([store.entries, store.bytes]).toEqual([1, 3]);
    expect([...store.keys()]).toEqual(['b']);
    store.clear();
    expect([store.entries, store.bytes]).toEqual([0, 0]);
  });

  it('does not return expired entries and counts them', () => {
    const store = make();
    store.set('old', entry('v', { expiresAt: Date.now() - 1 }));
    expect(store.get('old')).toBeUndefined();
    expect(store.peek('old')).toBeUndefined();
    expect(store.bytes).toBe(0);
    expect(evictions.expired).toBe(1);
  });

  it('never exceeds its entry bound', () => {
    const store = make({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) store.set(key, entry(key));
    expect(store.entries).toBeLessThanOrEqual(3);
    expect(evictions.capacity).toBe(2);
  });

  it('never exceeds its byte bound', () => {
    const store = make({ maxBytes: 10 });
    for (const key of ['a', 'b', 'c', 'd']) store.set(key, entry('xxxx'));
    expect(store.bytes).toBeLessThanOrEqual(10);
    expect(store.set('huge', entry('x'.repeat(11)))).toBe(false);
    expect(store.bytes).toBeLessThanOrEqual(10);
  });
});

describe('LruStore eviction order', () => {
  it('evicts the least recently used key, where a get counts as a use', () => {
    const store = new LruStore<string>({ maxEntries: 3, maxBytes: 1000 });
    for (const key of ['a', 'b', 'c']) store.set(key, entry(key));
    store.get('a');
    store.set('d', entry('d'));
    expect([...store.keys()].sort()).toEqual(['a', 'c', 'd']);
    store.peek('c'); // peek does not refresh
    store.set('e', entry('e'));
    expect([...store.keys()].sort()).toEqual(['a', 'd', 'e']);
  });
});

describe('NodeCacheStore at capacity', () => {
  it('refuses new keys instead of evicting (node-cache cannot evict)', () => {
    const store = new NodeCacheStore<string>({ maxEntries: 2, maxBytes: 1000 });
    store.set('a', entry('a'));
    store.set('b', entry('b'));
    expect(store.set('c', entry('c'))).toBe(false);
    expect([...store.keys()].sort()).toEqual(['a', 'b']);
  });
});

describe('LruStore under churn', () => {
  it('keeps recency order and its bounds through many sets, hits and deletes', () => {
    const store = new LruStore<string>({ maxEntries: 50, maxBytes: 1_000_000 });
    const live = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const key = `k${i % 137}`;
      if (i % 7 === 0) {
        store.delete(key);
        live.delete(key);
      } else if (i % 3 === 0) store.get(key);
      else {
        store.set(key, entry(key));
        live.add(key);
      }
      expect(store.entries).toBeLessThanOrEqual(50);
    }
    const keys = [...store.keys()];
    expect(new Set(keys).size).toBe(keys.length);
    expect(store.bytes).toBe(keys.reduce((sum, key) => sum + key.length, 0));
    for (const key of keys) expect(live.has(key)).toBe(true);
  });
});
