/**
 * getOrLoad on an L1 hit, Clustache vs BentoCache, in one process and one run.
 *
 * Why: the hit path is what every cached request pays, and BentoCache is the closest rival
 * (≈15 µs per getOrSet hit measured on this machine). The target is ours ≥ 10× faster.
 * How: 1,000 warm keys, each call awaited in a tight loop (as a route handler would), the
 * contenders interleaved round by round; BentoCache runs with a memory L1 only, both with its
 * default `serialize: true` and with `serialize: false` (no JSON round trip per hit).
 */
import { Registry } from 'prom-client';
import { createCache } from '@clustache/cache';
import { formatNs, formatRate, formatRatio, table } from '../lib/format';
import { interleave, medianOf, medianRatio, spread, timeAwaited, type Contender } from '../lib/measure';
import { reproduce, type Scenario } from '../lib/scenario';

const KEYS = Array.from({ length: 1024 }, (_, i) => `user:${i}`);
const MASK = KEYS.length - 1;
const VALUE = { id: 42, name: 'Ada Lovelace', email: 'ada@example.com', roles: ['admin', 'author'] };
const ROUNDS = 7;
const ROUND_MS = 400;
const TARGET = 10;

export const l1HitVsBentoCache: Scenario = {
  id: 'l1-hit',
  title: 'getOrLoad L1 hit: Clustache vs BentoCache',
  async run({ redisUrl, progress }) {
    const { BentoCache, bentostore } = await import('bentocache');
    const { memoryDriver } = await import('bentocache/drivers/memory');
    const bento = (serialize: boolean) =>
      new BentoCache({
        default: 'l1',
        stores: { l1: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000, serialize })) },
      });
    const bentoDefault = bento(true);
    const bentoRaw = bento(false);
    const ours = createCache<typeof VALUE>({
      name: 'bench-l1-hit',
      redis: redisUrl,
      registry: new Registry(),
    });
    let loads = 0;
    const loader = () => (loads++, VALUE);
    const factory = () => (loads++, VALUE);
    try {
      await ours.ready();
      for (const key of KEYS) {
        await ours.getOrLoad(key, loader);
        await bentoDefault.getOrSet({ key, factory, ttl: '5m' });
        await bentoRaw.getOrSet({ key, factory, ttl: '5m' });
      }
      const names = {
        ours: 'Clustache `getOrLoad` (LRU L1)',
        bento: 'BentoCache `getOrSet` (memory L1, serialize: true)',
        bentoRaw: 'BentoCache `getOrSet` (memory L1, serialize: false)',
      };
      const contenders: Contender[] = [
        {
          name: names.ours,
          round: () => timeAwaited((i) => ours.getOrLoad(KEYS[i & MASK]!, loader), ROUND_MS),
        },
        {
          name: names.bento,
          round: () =>
            timeAwaited((i) => bentoDefault.getOrSet({ key: KEYS[i & MASK]!, factory, ttl: '5m' }), ROUND_MS),
        },
        {
          name: names.bentoRaw,
          round: () =>
            timeAwaited((i) => bentoRaw.getOrSet({ key: KEYS[i & MASK]!, factory, ttl: '5m' }), ROUND_MS),
        },
      ];
      const samples = await interleave(contenders, {
        rounds: ROUNDS,
        onRound: (r) => progress(`round ${r}/${ROUNDS}`),
      });
      if (loads !== KEYS.length * 3)
        throw new Error(`expected only warm-up loads (${KEYS.length * 3}), saw ${loads}: not all hits`);

      const ratio = medianRatio(samples, names.bento, names.ours);
      const rows = Object.values(names).map((name) => [
        name,
        formatNs(medianOf(samples, name)),
        formatRate(medianOf(samples, name)),
        spread(samples, name, formatNs),
        name === names.ours ? '1×' : `${formatRatio(medianRatio(samples, name, names.ours))} slower`,
      ]);
      const verdict = ratio >= TARGET ? 'met' : '**missed**';
      return {
        summary: `ours ${formatNs(medianOf(samples, names.ours))}/hit, BentoCache ${formatNs(medianOf(samples, names.bento))}/hit: ${formatRatio(ratio)} (target ≥ ${TARGET}×: ${verdict})`,
        markdown: [
          `### ${this.title}`,
          '',
          `Each call awaited in a tight loop over ${KEYS.length} warm keys; ${ROUNDS} interleaved rounds of ${ROUND_MS} ms per contender after a warm-up round; medians. Only the warm-up loaded (checked).`,
          '',
          table(['contender', 'per hit (median)', 'hits/s', 'rounds min – max', 'vs Clustache'], rows),
          '',
          `**BentoCache / Clustache per hit: ${formatRatio(ratio)}** (median of per-round ratios; target ≥ ${TARGET}×: ${verdict}).`,
          '',
          reproduce(this.id),
        ].join('\n'),
      };
    } finally {
      await ours.close();
      await bentoDefault.disconnect();
      await bentoRaw.disconnect();
    }
  },
};
