/**
 * Source loads per distinct key when 3 replicas read the same keys.
 *
 * Why: the bus exists so that a value one replica loaded is not loaded again by the others.
 * How: 3 replica processes each `getOrLoad` the same 1,000 keys, one key per millisecond, with a
 * loader that sleeps 50 ms (the source) and counts its calls. Variants: replicas started one
 * after another (later ones should find values their peer published), started closer together
 * than one load takes, started at the same instant, and a baseline of 3 caches that do not share
 * a bus. Loads per key = all loader calls / distinct keys.
 */
import { formatRatio, table } from '../lib/format';
import { spawnReplicas, stopAll } from '../lib/replica-process';
import { reproduce, type Scenario } from '../lib/scenario';

const KEYS = 1000;
const INTERVAL_MS = 1;
const LOADER_MS = 50;
const REPLICAS = 3;
/** Well over a load plus the bus lag, so the first replica's fills have landed when the next one reads. */
const STAGGER_MS = 200;

interface Variant {
  label: string;
  sharedBus: boolean;
  staggerMs: number;
}

const VARIANTS: Variant[] = [
  {
    label: `baseline: ${REPLICAS} caches with no shared bus, staggered ${STAGGER_MS} ms`,
    sharedBus: false,
    staggerMs: STAGGER_MS,
  },
  {
    label: `shared bus, staggered ${STAGGER_MS} ms (well over a load)`,
    sharedBus: true,
    staggerMs: STAGGER_MS,
  },
  { label: `shared bus, staggered 25 ms (less than a ${LOADER_MS} ms load)`, sharedBus: true, staggerMs: 25 },
  { label: 'shared bus, simultaneous start', sharedBus: true, staggerMs: 0 },
];

interface ReadResult {
  loaderCalls: number;
  subscriptionHits: number;
  /** How late, at worst, this replica issued a read against its schedule (a busy machine). */
  slipMs: number;
  /** L1 flushes after a sequence gap, reconnect or unreadable message (should be 0). */
  flushes: number;
}

export const sourceLoads: Scenario = {
  id: 'source-loads',
  title: `Source loads per distinct key, ${REPLICAS} replicas reading the same keys`,
  async run({ redisUrl, progress }) {
    const replicas = await spawnReplicas('engine/source-loads.replica.ts', REPLICAS);
    try {
      const rows: string[][] = [];
      const perKey: number[] = [];
      for (const [v, variant] of VARIANTS.entries()) {
        await Promise.all(
          replicas.map((replica, r) =>
            replica.request('open', {
              redisUrl,
              name: variant.sharedBus ? `bench-loads-${v}` : `bench-loads-${v}-solo-${r}`,
            }),
          ),
        );
        const startAt = Date.now() + 300;
        const results = await Promise.all(
          replicas.map((replica, r) =>
            replica.request<ReadResult>('read', {
              keys: KEYS,
              startAt: startAt + r * variant.staggerMs,
              intervalMs: INTERVAL_MS,
              loaderMs: LOADER_MS,
            }),
          ),
        );
        const calls = results.reduce((sum, result) => sum + result.loaderCalls, 0);
        const fromPeers = results.reduce((sum, result) => sum + result.subscriptionHits, 0);
        perKey.push(calls / KEYS);
        rows.push([
          variant.label,
          results.map((result) => result.loaderCalls).join(' + '),
          String(calls),
          `**${(calls / KEYS).toFixed(2)}**`,
          String(fromPeers),
          `${Math.round(Math.max(...results.map((result) => result.slipMs)))} ms`,
          String(results.reduce((sum, result) => sum + result.flushes, 0)),
        ]);
        progress(`${variant.label}: ${(calls / KEYS).toFixed(2)} loads per key`);
      }
      const [baseline = 0, staggered = 0, , simultaneous = 0] = perKey;
      return {
        summary: `loads per key: baseline ${baseline.toFixed(2)}, staggered ${staggered.toFixed(2)}, simultaneous ${simultaneous.toFixed(2)}`,
        markdown: [
          `### ${this.title}`,
          '',
          `${REPLICAS} replica processes each \`getOrLoad\` the same ${KEYS} keys (one per ${INTERVAL_MS} ms, not waiting for each) with a loader that sleeps ${LOADER_MS} ms and counts its calls; fresh caches per variant.`,
          '',
          table(
            [
              'variant',
              'loader calls per replica',
              'loader calls',
              'loads per distinct key',
              "reads served by a peer's fill",
              'worst schedule slip',
              'L1 flushes',
            ],
            rows,
          ),
          '',
          meaning(baseline, staggered, simultaneous),
          '',
          reproduce(this.id),
        ].join('\n'),
      };
    } finally {
      await stopAll(replicas);
    }
  },
};

/**
 * What the numbers say, written from the numbers: whether simultaneous misses were collapsed
 * across replicas decides which story is true for the engine that was measured.
 */
function meaning(baseline: number, staggered: number, simultaneous: number): string {
  const propagation = `With the bus, a replica that reads a key after a peer's load has finished and been published finds it in L1: staggered reads cost ${staggered.toFixed(2)} loads per key against the no-bus ${baseline.toFixed(2)} (${formatRatio(baseline / staggered)} fewer source calls).`;
  const simultaneousStory =
    simultaneous > 1.5
      ? `What the number does not mean: the engine measured guarantees one load per key *per process* (concurrent callers in a process share a load) plus propagation of the result, with no cross-replica stampede protection (a later issue: groupcache-style key ownership or a Redis lock). When replicas miss the same key at the same instant, or while a peer's load is still in flight, each loads it: simultaneous misses cost ${simultaneous.toFixed(2)} loads per key, approaching the replica count.`
      : `Simultaneous misses cost ${simultaneous.toFixed(2)} loads per key: the engine measured collapses a key's concurrent misses across replicas (one replica loads, the others wait for its fill on the bus), not only within a process.`;
  const slip =
    'Worst schedule slip is how late a replica issued a read against its plan: tens of milliseconds mean the machine was too busy for the planned stagger to hold, and the numbers drift towards the middle. L1 flushes (gap, reconnect, unreadable message) should be 0.';
  return `${propagation} ${simultaneousStory} ${slip}`;
}
