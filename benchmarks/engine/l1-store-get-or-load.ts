/**
 * The two L1 stores behind `getOrLoad`: the LRU default vs the node-cache adapter.
 *
 * Why: the store-interface numbers only matter if they show through the cache's own paths.
 * How: hits — 1,024 warm keys, each call awaited; misses — never-seen keys into a cache already
 * at its bound (the default 10,000 entries), with a synchronous loader, so each call runs the whole fill path:
 * load, store (evict or refuse), serialise, publish to Redis. A miss round is timed until Redis
 * has acknowledged every publish and the cache has read its own echoes back, so the cost of the
 * bus traffic is counted, not left for the next round to pay.
 */
import { Registry } from 'prom-client';
import { createCache, type CoherentCache } from '@clustache/cache';
import { formatNs, formatRate, formatRatio, table } from '../lib/format';
import { interleave, medianOf, medianRatio, spread, timeAwaited, type Contender } from '../lib/measure';
import { reproduce, type Scenario } from '../lib/scenario';

const WARM = Array.from({ length: 1024 }, (_, i) => `user:${i}`);
const MASK = WARM.length - 1;
const VALUE = { id: 42, name: 'Ada Lovelace', email: 'ada@example.com', roles: ['admin', 'author'] };
const CAPACITY = 10_000;
const MISSES_PER_ROUND = 4000;
const ROUNDS = 7;
const HIT_ROUND_MS = 300;

type Kind = 'lru' | 'node-cache';
const KINDS: Kind[] = ['lru', 'node-cache'];
const loader = () => VALUE;

export const l1StoreGetOrLoad: Scenario = {
  id: 'l1-store-get-or-load',
  title: 'L1 store: LRU default vs node-cache adapter (through getOrLoad)',
  async run({ redisUrl, progress }) {
    const caches: CoherentCache<typeof VALUE>[] = [];
    const open = async (name: string, store: Kind, maxEntries: number) => {
      const cache = createCache<typeof VALUE>({
        name,
        redis: redisUrl,
        registry: new Registry(),
        l1: { store, maxEntries },
      });
      caches.push(cache);
      await cache.ready();
      return cache;
    };
    try {
      const contenders: Contender[] = [];
      for (const kind of KINDS) {
        const hits = await open(`bench-hit-${kind}`, kind, 10 * WARM.length);
        for (const key of WARM) await hits.getOrLoad(key, loader);
        const fills = await open(`bench-fill-${kind}`, kind, CAPACITY);
        const misses = new MissCounter(fills);
        await misses.run(CAPACITY);
        contenders.push(
          {
            name: `hit ${kind}`,
            round: () => timeAwaited((i) => hits.getOrLoad(WARM[i & MASK]!, loader), HIT_ROUND_MS),
          },
          { name: `miss ${kind}`, round: () => misses.run(MISSES_PER_ROUND) },
        );
      }
      const samples = await interleave(contenders, {
        rounds: ROUNDS,
        onRound: (r) => progress(`round ${r}/${ROUNDS}`),
      });

      const rows = (['hit', 'miss'] as const).map((op) => [
        op === 'hit'
          ? '`getOrLoad` hit'
          : `\`getOrLoad\` miss + fill into a full L1 (${CAPACITY.toLocaleString('en')} entries, the default), publish included`,
        `${formatNs(medianOf(samples, `${op} lru`))} (${formatRate(medianOf(samples, `${op} lru`))})`,
        `${formatNs(medianOf(samples, `${op} node-cache`))} (${formatRate(medianOf(samples, `${op} node-cache`))})`,
        formatRatio(medianRatio(samples, `${op} node-cache`, `${op} lru`)),
      ]);
      const spreads = (['hit', 'miss'] as const).flatMap((op) =>
        KINDS.map((kind) => `${op} ${kind}: ${spread(samples, `${op} ${kind}`, formatNs)}`),
      );
      return {
        summary: `hit LRU ${formatNs(medianOf(samples, 'hit lru'))} vs node-cache ${formatNs(medianOf(samples, 'hit node-cache'))}; miss LRU ${formatNs(medianOf(samples, 'miss lru'))} vs node-cache ${formatNs(medianOf(samples, 'miss node-cache'))}`,
        markdown: [
          `### ${this.title}`,
          '',
          `Each call awaited; hits: ${ROUNDS} interleaved rounds of ${HIT_ROUND_MS} ms per cell; misses: ${ROUNDS} rounds of ${MISSES_PER_ROUND} never-seen keys per cell, timed until every publish is acknowledged and echoed back; one warm-up round each; medians (ops/s in brackets).`,
          '',
          table(
            [
              'operation',
              "`l1: { store: 'lru' }` (default)",
              "`l1: { store: 'node-cache' }`",
              'node-cache / LRU',
            ],
            rows,
          ),
          '',
          `In the miss rows the LRU cache keeps the newest ${CAPACITY.toLocaleString('en')} values; the node-cache one keeps its first ${CAPACITY.toLocaleString('en')} and stores none of the new ones (still published to peers). Rounds min – max: ${spreads.join('; ')}.`,
          '',
          reproduce(this.id),
        ].join('\n'),
      };
    } finally {
      await Promise.all(caches.map((cache) => cache.close()));
    }
  },
};

/** Drives misses on one cache with never-seen keys and times them through to the bus echo. */
class MissCounter {
  private issued = 0;

  constructor(private readonly cache: CoherentCache<typeof VALUE>) {}

  async run(count: number): Promise<number> {
    const start = performance.now();
    for (let i = 0; i < count; i++) await this.cache.getOrLoad(`fresh:${this.issued++}`, loader);
    await this.drained();
    return ((performance.now() - start) * 1e6) / count;
  }

  /** Every fill published (acknowledged by Redis) and read back by this cache's own subscriber. */
  private async drained(): Promise<void> {
    const { stats } = this.cache;
    const deadline = Date.now() + 30_000;
    while (stats.published.put < this.issued || stats.dropped.own < this.issued + stats.published.heartbeat) {
      if (Date.now() > deadline)
        throw new Error(
          `publishes not drained: ${stats.published.put}/${this.issued} acknowledged, ${stats.dropped.own} echoes`,
        );
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
