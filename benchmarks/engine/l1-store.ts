/**
 * The two L1 stores through the store interface: the LRU default vs the node-cache adapter.
 *
 * Why: the store is the innermost cost of every hit and every fill, and the design card names
 * node-cache, so the default has to earn its place. How: `get` on 1,024 resident keys, and `set`
 * of never-seen keys into a store already full, so every set meets the bound — the LRU evicts
 * its oldest entry, node-cache (which cannot evict) refuses the new one. Two bounds, 1,000 and
 * the default 10,000 entries, show whether a set's cost grows with the store's size.
 */
import { LruStore, NodeCacheStore, type L1Entry, type L1Store } from '@clustache/cache';
import { formatNs, formatRate, formatRatio, table } from '../lib/format';
import { interleave, medianOf, medianRatio, spread, timeSync, type Contender } from '../lib/measure';
import { reproduce, type Scenario } from '../lib/scenario';

const RESIDENT = Array.from({ length: 1024 }, (_, i) => `item:${i}`);
const MASK = RESIDENT.length - 1;
const BOUNDS = [1000, 10_000];
const ROUNDS = 7;
const ROUND_MS = 200;

type Kind = 'lru' | 'node-cache';
const STORES: Record<Kind, { label: string; create: (maxEntries: number) => L1Store }> = {
  lru: {
    label: '`LruStore` (default)',
    create: (maxEntries) => new LruStore({ maxEntries, maxBytes: 1 << 30 }),
  },
  'node-cache': {
    label: '`NodeCacheStore`',
    create: (maxEntries) => new NodeCacheStore({ maxEntries, maxBytes: 1 << 30 }),
  },
};

/** An entry fresh for an hour, never refreshed eagerly. */
function entry(i: number): L1Entry {
  const expiresAt = Date.now() + 3_600_000;
  return {
    value: { id: i, name: `item ${i}` },
    version: i + 1,
    origin: 'own',
    writer: 'bench',
    expiresAt,
    freshUntil: expiresAt,
    refreshAt: Infinity,
    size: 32,
  };
}

export const l1Store: Scenario = {
  id: 'l1-store',
  title: 'L1 store: LRU default vs node-cache adapter (store interface)',
  async run({ progress }) {
    const contenders: Contender[] = [];
    const outcome: Record<Kind, string> = { lru: '', 'node-cache': '' };
    const operations = ['get', ...BOUNDS.map((bound) => `set ${bound}`)];
    for (const kind of Object.keys(STORES) as Kind[]) {
      const reader = STORES[kind].create(10 * RESIDENT.length);
      RESIDENT.forEach((key, i) => reader.set(key, entry(i)));
      contenders.push({
        name: `get ${kind}`,
        round: () => timeSync((i) => reader.get(RESIDENT[i & MASK]!), ROUND_MS),
      });
      for (const bound of BOUNDS) {
        const writer = STORES[kind].create(bound);
        for (let i = 0; i < bound; i++) writer.set(`seed:${i}`, entry(i));
        let fresh = 0;
        let stored = 0;
        const template = entry(0);
        contenders.push({
          name: `set ${bound} ${kind}`,
          round: () => {
            const ns = timeSync(() => (writer.set(`new:${fresh++}`, template) ? stored++ : 0), ROUND_MS);
            const size =
              writer.entries === bound ? 'stays full at the bound' : `holds ${writer.entries} entries`;
            outcome[kind] = `${size}; ${percent(stored, fresh)} of new keys stored`;
            return ns;
          },
        });
      }
    }
    const samples = await interleave(contenders, {
      rounds: ROUNDS,
      onRound: (r) => progress(`round ${r}/${ROUNDS}`),
    });

    const cell = (name: string) =>
      `${formatNs(medianOf(samples, name))} (${formatRate(medianOf(samples, name))})`;
    const rows = operations.map((op) => [
      op === 'get'
        ? '`get` (hit)'
        : `\`set\` into a full store of ${Number(op.split(' ')[1]).toLocaleString('en')} entries`,
      cell(`${op} lru`),
      cell(`${op} node-cache`),
      formatRatio(medianRatio(samples, `${op} node-cache`, `${op} lru`)),
    ]);
    const spreads = operations.flatMap((op) =>
      (Object.keys(STORES) as Kind[]).map(
        (kind) => `${op} ${kind}: ${spread(samples, `${op} ${kind}`, formatNs)}`,
      ),
    );
    const [small, large] = BOUNDS.map((bound) => medianOf(samples, `set ${bound} lru`)) as [number, number];
    return {
      summary: `get LRU ${formatNs(medianOf(samples, 'get lru'))} vs node-cache ${formatNs(medianOf(samples, 'get node-cache'))}; set at ${BOUNDS.join(' / ')} entries LRU ${formatNs(small)} / ${formatNs(large)} vs node-cache ${BOUNDS.map((b) => formatNs(medianOf(samples, `set ${b} node-cache`))).join(' / ')}`,
      markdown: [
        `### ${this.title}`,
        '',
        `Synchronous calls on the \`L1Store\` interface, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms per cell after a warm-up round; medians (ops/s in brackets).`,
        '',
        table(['operation', STORES.lru.label, STORES['node-cache'].label, 'node-cache / LRU'], rows),
        '',
        `What a set into the full store did: LRU — ${outcome.lru} (it evicts the oldest); node-cache — ${outcome['node-cache']} (it cannot evict: at \`maxKeys\` it throws \`ECACHEFULL\`, which the adapter catches and counts as a capacity eviction of the new value; building that exception is most of the cost). An LRU set into ${BOUNDS[1]!.toLocaleString('en')} entries costs ${formatRatio(large / small)} one into ${BOUNDS[0]!.toLocaleString('en')}${large / small > 3 ? ': eviction cost grows with the store (each `map.entries().next()` in `LruStore.set` walks past the slots earlier evictions left deleted at the front of the Map)' : ': eviction cost does not grow with the store'}. Rounds min – max: ${spreads.join('; ')}.`,
        '',
        reproduce(this.id),
      ].join('\n'),
    };
  },
};

function percent(part: number, whole: number): string {
  return `${whole === 0 ? 0 : Math.round((100 * part) / whole)} %`;
}
