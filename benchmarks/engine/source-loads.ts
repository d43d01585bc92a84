/**
 * Source loads per distinct key when 3 replicas read the same keys.
 *
 * Why: the bus exists so that a value one replica loaded is not loaded again by the others, and
 * load leases so that replicas missing a key at the same moment load it once between them.
 * How: 3 replica processes each `getOrLoad` the same 1,000 keys, one key per millisecond, with a
 * loader that sleeps 50 ms (the source) and counts its calls. Variants: a baseline of 3 caches
 * that share nothing; replicas started one after another (later ones should find values their
 * peer published); started closer together than one load takes; started at the same instant —
 * the last two with load leases on (the default) and off. Loads per key = loader calls / keys.
 */
import { formatMs, formatRatio, table } from '../lib/format';
import { spawnReplicas, stopAll } from '../lib/replica-process';
import { reproduce, type Scenario } from '../lib/scenario';
import { distribution } from '../lib/stats';

const KEYS = 1000;
const INTERVAL_MS = 1;
const LOADER_MS = 50;
const REPLICAS = 3;
/** Well over a load plus the bus lag, so the first replica's fills have landed when the next one reads. */
const STAGGER_MS = 200;
const CLOSE_MS = 25;
/** How long a replica that lost a key's load lease waits for the fill (`loadLease.waitMs`). */
const LEASE_WAIT_MS = 1000;
const WARMUP_KEYS = 300;

interface Variant {
  id: 'baseline' | 'staggered' | 'close' | 'close-no-lease' | 'simultaneous' | 'simultaneous-no-lease';
  label: string;
  /** One cache name (bus channel, lease keys) for all replicas, or one each. */
  shared: boolean;
  leases: boolean;
  staggerMs: number;
}

const VARIANTS: Variant[] = [
  {
    id: 'baseline',
    label: `baseline: ${REPLICAS} caches sharing nothing (no bus, no leases), staggered ${STAGGER_MS} ms`,
    shared: false,
    leases: false,
    staggerMs: STAGGER_MS,
  },
  {
    id: 'staggered',
    label: `staggered ${STAGGER_MS} ms (well over a load)`,
    shared: true,
    leases: true,
    staggerMs: STAGGER_MS,
  },
  {
    id: 'close',
    label: `staggered ${CLOSE_MS} ms (less than a ${LOADER_MS} ms load)`,
    shared: true,
    leases: true,
    staggerMs: CLOSE_MS,
  },
  {
    id: 'close-no-lease',
    label: `staggered ${CLOSE_MS} ms, load leases off`,
    shared: true,
    leases: false,
    staggerMs: CLOSE_MS,
  },
  { id: 'simultaneous', label: 'simultaneous start', shared: true, leases: true, staggerMs: 0 },
  {
    id: 'simultaneous-no-lease',
    label: 'simultaneous start, load leases off',
    shared: true,
    leases: false,
    staggerMs: 0,
  },
];

interface ReadResult {
  loaderCalls: number;
  subscriptionHits: number;
  /** How late, at worst, this replica issued a read against its schedule (a busy machine). */
  slipMs: number;
  /** L1 flushes after a sequence gap, reconnect or unreadable message (should be 0). */
  flushes: number;
  /** Load lease outcomes: won (loaded), filled (a peer's fill came), unfilled (waited in vain, loaded). */
  leases: { won: number; filled: number; unfilled: number; unavailable: number };
  /** Each read's time from call to value, in milliseconds. */
  latencyMs: number[];
}

export const sourceLoads: Scenario = {
  id: 'source-loads',
  title: `Source loads per distinct key, ${REPLICAS} replicas reading the same keys`,
  async run({ redisUrl, progress }) {
    const replicas = await spawnReplicas('engine/source-loads.replica.ts', REPLICAS);
    try {
      const rows: string[][] = [];
      const perKey = {} as Record<Variant['id'], number>;
      const anomalies: string[] = [];
      const round = async (
        name: (replica: number) => string,
        leases: boolean,
        staggerMs: number,
        keys: number,
      ) => {
        await Promise.all(
          replicas.map((replica, r) =>
            replica.request('open', { redisUrl, name: name(r), leases, leaseWaitMs: LEASE_WAIT_MS }),
          ),
        );
        const startAt = Date.now() + 300;
        return Promise.all(
          replicas.map((replica, r) =>
            replica.request<ReadResult>('read', {
              keys,
              startAt: startAt + r * staggerMs,
              intervalMs: INTERVAL_MS,
              loaderMs: LOADER_MS,
            }),
          ),
        );
      };
      progress(`3 replicas up; warm-up: ${WARMUP_KEYS} keys`);
      await round(() => 'bench-loads-warmup', true, CLOSE_MS, WARMUP_KEYS);
      for (const [v, variant] of VARIANTS.entries()) {
        const name = (r: number) => (variant.shared ? `bench-loads-${v}` : `bench-loads-${v}-alone-${r}`);
        const results = await round(name, variant.leases, variant.staggerMs, KEYS);
        const calls = results.reduce((sum, result) => sum + result.loaderCalls, 0);
        perKey[variant.id] = calls / KEYS;
        anomalies.push(...leaseAnomalies(variant, results));
        rows.push([
          variant.label,
          results.map((result) => result.loaderCalls).join(' + '),
          `**${(calls / KEYS).toFixed(2)}**`,
          String(results.reduce((sum, result) => sum + result.subscriptionHits, 0)),
          `${Math.round(Math.max(...results.map((result) => result.slipMs)))} ms`,
          readLatency(results),
          variant.leases ? leaseOutcomes(results) : '—',
          String(results.reduce((sum, result) => sum + result.flushes, 0)),
        ]);
        progress(`${variant.label}: ${(calls / KEYS).toFixed(2)} loads per key`);
      }
      return {
        summary: `loads per key: baseline ${perKey.baseline.toFixed(2)}, staggered ${perKey.staggered.toFixed(2)}, simultaneous ${perKey.simultaneous.toFixed(2)} (leases off ${perKey['simultaneous-no-lease'].toFixed(2)})`,
        markdown: [
          `### ${this.title}`,
          '',
          `${REPLICAS} replica processes each \`getOrLoad\` the same ${KEYS} keys (one per ${INTERVAL_MS} ms, not waiting for each) with a loader that sleeps ${LOADER_MS} ms and counts its calls; fresh caches per variant, after a ${WARMUP_KEYS}-key warm-up; \`loadLease.waitMs\` ${LEASE_WAIT_MS} ms.`,
          '',
          table(
            [
              'variant',
              'loader calls per replica',
              'loads per distinct key',
              "reads served by a peer's fill",
              'worst schedule slip',
              'read p50 / p99 / max',
              'leases won / filled / unfilled',
              'L1 flushes',
            ],
            rows,
          ),
          '',
          [meaning(perKey), ...anomalies].join(' '),
          '',
          reproduce(this.id),
        ].join('\n'),
      };
    } finally {
      await stopAll(replicas);
    }
  },
};

/** What the numbers say, written from the numbers, so the text stays true of the engine measured. */
function meaning(perKey: Record<Variant['id'], number>): string {
  const n = (id: Variant['id']) => perKey[id].toFixed(2);
  const propagation = `A replica that reads a key after a peer's load has finished and been published finds it in L1: staggered reads cost ${n('staggered')} loads per key against ${n('baseline')} for caches that share nothing (${formatRatio(perKey.baseline / perKey.staggered)} fewer source calls).`;
  const perProcess = `Without load leases the engine guarantees one load per key *per process* (concurrent callers in a process share it) plus propagation of the result, so replicas that miss a key at the same moment, or while a peer's load is still in flight, each load it: ${n('simultaneous-no-lease')} loads per key for simultaneous misses and ${n('close-no-lease')} ${CLOSE_MS} ms apart, approaching the replica count.`;
  const leases =
    perKey.simultaneous <= 1.5
      ? `With load leases (the default) a replica that misses takes a Redis lease on the key first; the loser waits for the winner's fill on the bus instead of loading: ${n('simultaneous')} loads per key for simultaneous misses and ${n('close')} ${CLOSE_MS} ms apart, at the price of one Redis round trip per miss.`
      : `With load leases on, simultaneous misses still cost ${n('simultaneous')} loads per key (${n('close')} ${CLOSE_MS} ms apart): the leases did not collapse them in this run.`;
  const notes =
    'Worst schedule slip is how late a replica issued a read against its plan: tens of milliseconds mean the machine was too busy for the planned stagger to hold, and the numbers drift. L1 flushes (gap, reconnect, unreadable message) should be 0.';
  return `${propagation} ${perProcess} ${leases} ${notes}`;
}

function leaseOutcomes(results: readonly ReadResult[]): string {
  const total = (outcome: keyof ReadResult['leases']) =>
    results.reduce((sum, r) => sum + r.leases[outcome], 0);
  return `${total('won')} / ${total('filled')} / ${total('unfilled')}`;
}

function readLatency(results: readonly ReadResult[]): string {
  const d = distribution(results.flatMap((result) => result.latencyMs));
  return `${formatMs(d.p50)} / ${formatMs(d.p99)} / ${formatMs(d.max)}`;
}

/** Lease behaviour worth a sentence when it shows: extra leases won, reads that sat out the wait. */
function leaseAnomalies(variant: Variant, results: readonly ReadResult[]): string[] {
  if (!variant.leases || !variant.shared) return [];
  const found: string[] = [];
  const won = results.reduce((sum, result) => sum + result.leases.won, 0);
  if (won > KEYS) {
    found.push(
      `**${variant.label}: ${won} leases won for ${KEYS} keys** — a replica can win a lease its holder has just released, before the holder's fill has reached it, and load the key again.`,
    );
  }
  const stalled = results.reduce(
    (sum, result) => sum + result.latencyMs.filter((ms) => ms >= LEASE_WAIT_MS).length,
    0,
  );
  if (stalled > 0) {
    found.push(
      `**${variant.label}: ${stalled} reads took over the ${formatMs(LEASE_WAIT_MS)} lease wait** for a ${LOADER_MS} ms source, yet no lease went unfilled — a replica that lost the lease waited for a fill that had already arrived, until \`loadLease.waitMs\` ran out.`,
    );
  }
  return found;
}
