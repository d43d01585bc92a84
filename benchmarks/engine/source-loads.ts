/**
 * Source loads per distinct key when 3 or 10 replicas read the same keys.
 *
 * Why: the bus exists so that a value one replica loaded is not loaded again by the others, and
 * load leases so that replicas missing a key at the same moment load it once between them.
 * How: 3 replica processes each `getOrLoad` the same 1,000 keys, one key per millisecond, with a
 * loader that sleeps 50 ms (the source) and counts its calls. Variants: a baseline of 3 caches
 * that share nothing; replicas started one after another (later ones should find values their
 * peer published); started closer together than one load takes; started at the same instant —
 * the last two with load leases on (the default) and off. Then 10 replica processes start at the
 * same instant on fewer keys (so the run stays short), leases on and off: issue 6's target is
 * ≤ 1.05 loads per key with 10 replicas, against about 10 without leases. Loads per key = loader
 * calls / keys.
 */
import { formatMs, formatRatio, table } from '../lib/format';
import { ReplicaProcess, stopAll } from '../lib/replica-process';
import { reproduce, type Scenario } from '../lib/scenario';
import { distribution } from '../lib/stats';

const KEYS = 1000;
/** Fewer keys for the 10-replica rows: 10 processes on 2 cores each read one key per millisecond. */
const KEYS_MANY = 300;
const INTERVAL_MS = 1;
const LOADER_MS = 50;
const REPLICAS = 3;
const REPLICAS_MANY = 10;
/** Issue 6: source loads per distinct key with 10 replicas missing the same keys at once. */
const TARGET_LOADS_PER_KEY = 1.05;
/** Well over a load plus the bus lag, so the first replica's fills have landed when the next one reads. */
const STAGGER_MS = 200;
const CLOSE_MS = 25;
/** How long a replica that lost a key's load lease waits for the fill (`loadLease.waitMs`). */
const LEASE_WAIT_MS = 1000;
const WARMUP_KEYS = 300;

interface Variant {
  id:
    | 'baseline'
    | 'staggered'
    | 'close'
    | 'close-no-lease'
    | 'simultaneous'
    | 'simultaneous-no-lease'
    | 'simultaneous-many'
    | 'simultaneous-many-no-lease';
  label: string;
  /** How many replica processes read the keys. */
  replicas: number;
  /** How many distinct keys each of them reads. */
  keys: number;
  /** One cache name (bus channel, lease keys) for all replicas, or one each. */
  shared: boolean;
  leases: boolean;
  staggerMs: number;
}

const VARIANTS: Variant[] = [
  {
    id: 'baseline',
    label: `baseline: ${REPLICAS} caches sharing nothing (no bus, no leases), staggered ${STAGGER_MS} ms`,
    replicas: REPLICAS,
    keys: KEYS,
    shared: false,
    leases: false,
    staggerMs: STAGGER_MS,
  },
  {
    id: 'staggered',
    label: `staggered ${STAGGER_MS} ms (well over a load)`,
    replicas: REPLICAS,
    keys: KEYS,
    shared: true,
    leases: true,
    staggerMs: STAGGER_MS,
  },
  {
    id: 'close',
    label: `staggered ${CLOSE_MS} ms (less than a ${LOADER_MS} ms load)`,
    replicas: REPLICAS,
    keys: KEYS,
    shared: true,
    leases: true,
    staggerMs: CLOSE_MS,
  },
  {
    id: 'close-no-lease',
    label: `staggered ${CLOSE_MS} ms, load leases off`,
    replicas: REPLICAS,
    keys: KEYS,
    shared: true,
    leases: false,
    staggerMs: CLOSE_MS,
  },
  {
    id: 'simultaneous',
    label: 'simultaneous start',
    replicas: REPLICAS,
    keys: KEYS,
    shared: true,
    leases: true,
    staggerMs: 0,
  },
  {
    id: 'simultaneous-no-lease',
    label: 'simultaneous start, load leases off',
    replicas: REPLICAS,
    keys: KEYS,
    shared: true,
    leases: false,
    staggerMs: 0,
  },
  // Last: the pool grows to 10 processes for these (and warms the new ones up) only once the 3-replica rows are done.
  {
    id: 'simultaneous-many',
    label: 'simultaneous start',
    replicas: REPLICAS_MANY,
    keys: KEYS_MANY,
    shared: true,
    leases: true,
    staggerMs: 0,
  },
  {
    id: 'simultaneous-many-no-lease',
    label: 'simultaneous start, load leases off',
    replicas: REPLICAS_MANY,
    keys: KEYS_MANY,
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
  title: `Source loads per distinct key, ${REPLICAS} and ${REPLICAS_MANY} replicas reading the same keys`,
  async run({ redisUrl, progress }) {
    const pool: ReplicaProcess[] = [];
    try {
      const rows: string[][] = [];
      const perKey = {} as Record<Variant['id'], number>;
      const slip = {} as Record<Variant['id'], number>;
      const anomalies: string[] = [];
      const round = async (
        count: number,
        name: (replica: number) => string,
        leases: boolean,
        staggerMs: number,
        keys: number,
      ) => {
        const replicas = pool.slice(0, count);
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
      for (const [v, variant] of VARIANTS.entries()) {
        if (pool.length < variant.replicas) {
          // Spawn the missing processes, then warm every one of them up (JIT, Redis connections) together.
          // Names (the engine's replica ids) continue from the pool's, so every process has its own.
          const added = await Promise.all(
            Array.from({ length: variant.replicas - pool.length }, (_, i) =>
              ReplicaProcess.spawn('engine/source-loads.replica.ts', `replica-${pool.length + i + 1}`),
            ),
          );
          pool.push(...added);
          progress(`${pool.length} replicas up; warm-up: ${WARMUP_KEYS} keys`);
          await round(pool.length, () => `bench-loads-warmup-${pool.length}`, true, CLOSE_MS, WARMUP_KEYS);
        }
        const name = (r: number) => (variant.shared ? `bench-loads-${v}` : `bench-loads-${v}-alone-${r}`);
        const results = await round(variant.replicas, name, variant.leases, variant.staggerMs, variant.keys);
        const calls = results.reduce((sum, result) => sum + result.loaderCalls, 0);
        perKey[variant.id] = calls / variant.keys;
        slip[variant.id] = Math.max(...results.map((result) => result.slipMs));
        anomalies.push(...leaseAnomalies(variant, results));
        rows.push([
          String(variant.replicas),
          String(variant.keys),
          variant.label,
          results.map((result) => result.loaderCalls).join(' + '),
          `**${(calls / variant.keys).toFixed(2)}**`,
          String(results.reduce((sum, result) => sum + result.subscriptionHits, 0)),
          `${Math.round(slip[variant.id])} ms`,
          readLatency(results),
          variant.leases ? leaseOutcomes(results) : '—',
          String(results.reduce((sum, result) => sum + result.flushes, 0)),
        ]);
        progress(
          `${variant.replicas} replicas, ${variant.label}: ${(calls / variant.keys).toFixed(2)} loads per key`,
        );
      }
      return {
        summary: `loads per key: baseline ${perKey.baseline.toFixed(2)}, staggered ${perKey.staggered.toFixed(2)}, simultaneous ${perKey.simultaneous.toFixed(2)} (leases off ${perKey['simultaneous-no-lease'].toFixed(2)}), ${REPLICAS_MANY} replicas simultaneous ${perKey['simultaneous-many'].toFixed(2)} (leases off ${perKey['simultaneous-many-no-lease'].toFixed(2)}; target ≤ ${TARGET_LOADS_PER_KEY} ${perKey['simultaneous-many'] <= TARGET_LOADS_PER_KEY ? 'met' : 'missed'})`,
        markdown: [
          `### ${this.title}`,
          '',
          `${REPLICAS} replica processes each \`getOrLoad\` the same ${KEYS} keys (one per ${INTERVAL_MS} ms, not waiting for each) with a loader that sleeps ${LOADER_MS} ms and counts its calls; then ${REPLICAS_MANY} processes start at the same instant on ${KEYS_MANY} keys (fewer, so the run stays short on a small machine). Fresh caches per variant, after a ${WARMUP_KEYS}-key warm-up of every process; \`loadLease.waitMs\` ${LEASE_WAIT_MS} ms.`,
          '',
          table(
            [
              'replicas',
              'keys',
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
          [target(perKey, slip), meaning(perKey), ...anomalies].join(' '),
          '',
          reproduce(this.id),
        ].join('\n'),
      };
    } finally {
      await stopAll(pool);
    }
  },
};

/** Issue 6's target, and whether this run met it. */
function target(perKey: Record<Variant['id'], number>, slip: Record<Variant['id'], number>): string {
  const many = perKey['simultaneous-many'];
  const without = perKey['simultaneous-many-no-lease'];
  const late = Math.round(Math.max(slip['simultaneous-many'], slip['simultaneous-many-no-lease']));
  // Past a load's duration, a late replica can find a peer's fill already published: fewer loads without leases.
  const busy =
    late > LOADER_MS
      ? ` ${REPLICAS_MANY} processes on this machine fell up to ${late} ms behind their schedule, more than a ${LOADER_MS} ms load, so some reads may have come after a peer's fill had landed${without < REPLICAS_MANY ? ` (leases off: ${without.toFixed(2)}, not ${REPLICAS_MANY})` : ''}.`
      : '';
  const verdict =
    many <= TARGET_LOADS_PER_KEY
      ? `**met**: ${many.toFixed(2)} loads per key with load leases, against ${without.toFixed(2)} with them off.`
      : `**not met**: ${many.toFixed(2)} loads per key with load leases (${without.toFixed(2)} with them off).`;
  return `Target (issue 6): ≤ ${TARGET_LOADS_PER_KEY} source loads per distinct key with ${REPLICAS_MANY} replicas missing the same cold keys at once (about ${REPLICAS_MANY} without leases) — ${verdict}${busy}`;
}

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
  const calls = results.reduce((sum, result) => sum + result.loaderCalls, 0);
  if (won > variant.keys && calls <= variant.keys) {
    found.push(
      `${variant.replicas} replicas, ${variant.label}: ${won} leases won for ${variant.keys} keys, yet the source was called ${calls} times — a replica that won a lease its holder had just released found the holder's fill before loading.`,
    );
  } else if (won > variant.keys) {
    found.push(
      `**${variant.replicas} replicas, ${variant.label}: ${won} leases won for ${variant.keys} keys** — a replica can win a lease its holder has just released, before the holder's fill has reached it, and load the key again.`,
    );
  }
  const stalled = results.reduce(
    (sum, result) => sum + result.latencyMs.filter((ms) => ms >= LEASE_WAIT_MS).length,
    0,
  );
  if (stalled > 0) {
    found.push(
      `**${variant.replicas} replicas, ${variant.label}: ${stalled} reads took over the ${formatMs(LEASE_WAIT_MS)} lease wait** for a ${LOADER_MS} ms source, yet no lease went unfilled — a replica that lost the lease waited for a fill that had already arrived, until \`loadLease.waitMs\` ran out.`,
    );
  }
  return found;
}
