/** The recovery benchmark's section of docs/benchmarks.md, written from the numbers of one run. */
import { cpus } from 'node:os';
import { formatMs, formatRatio, table } from '../lib/format';
import { seriesOf, total, type MetricSnapshot } from '../lib/metric-snapshot';
import { median } from '../lib/stats';
import { entriesAt, fewestEntriesAfterBack, loadsBetween } from './recovery.analysis';
import type { LogCost } from './recovery.log-cost';
import { logCostTable, logHoldingsRow } from './recovery.redis-table';
import {
  measure,
  staleBoundMs,
  TARGET_EXTRA_FRACTION,
  TARGET_RECOVERY_MS,
  type Measures,
  type Setup,
  type VariantRun,
} from './recovery.variant';

const percent = (ratio: number) => (Number.isNaN(ratio) ? '—' : `${(ratio * 100).toFixed(1)} %`);
const recoveryText = (ms: number | undefined, windowMs: number) =>
  ms === undefined ? `> ${formatMs(windowMs)}` : ms === 0 ? '< 100 ms' : `${formatMs(ms)}`;

function byReason(values: Record<string, number>): string {
  const entries = Object.entries(values).sort(([, a], [, b]) => b - a);
  if (entries.length === 0) return '0';
  return `${total(values)} (${entries.map(([reason, n]) => `${reason || '—'} ${n}`).join(', ')})`;
}

function repairs(metrics: MetricSnapshot): string {
  const repaired = seriesOf(metrics, 'clustache_cache_l1_repairs_total', 'reason', 'outcome="repaired"');
  const flushed = seriesOf(metrics, 'clustache_cache_l1_repairs_total', 'reason', 'outcome="flushed"');
  const messages = total(seriesOf(metrics, 'clustache_cache_l1_repair_messages_total'));
  const seconds = total(seriesOf(metrics, 'clustache_cache_l1_repair_duration_seconds_sum'));
  const count = total(seriesOf(metrics, 'clustache_cache_l1_repair_duration_seconds_count'));
  if (total(repaired) + total(flushed) === 0) return '0';
  const mean = count > 0 ? `, mean ${formatMs((seconds * 1000) / count)}` : '';
  return `repaired ${byReason(repaired)}, flushed ${byReason(flushed)}; ${messages} messages applied${mean}`;
}

/**
 * `a` as a multiple of `b` (the repair-off row); `b` undefined means "more than `bound`" (a
 * recovery not seen within the window), so the multiple is an upper bound.
 */
function against(a: number | undefined, b: number | undefined, bound?: number): string {
  if (a === undefined) return '—';
  if (b === undefined) return bound === undefined ? '—' : `< ${formatRatio(a / bound)}`;
  if (b === 0) return a === 0 ? formatRatio(1) : '—';
  return formatRatio(a / b);
}

export function recoveryMarkdown(
  setup: Setup,
  runs: readonly VariantRun[],
  cost: LogCost,
  machine: { loadBefore: number; loadAfter: number },
  title: string,
  id: string,
): string {
  const measures = runs.map((run) => measure(setup, run));
  const off = measures[runs.findIndex((run) => run.variant.id === 'repair-off')];
  const rows = runs.map((run, i) => {
    const m = measures[i]!;
    const unlogged = run.variant.repair && run.log === undefined;
    return [
      unlogged ? `${run.variant.label} (no log written: ran as repair off)` : run.variant.label,
      `**${m.loads}**`,
      against(m.loads, off?.loads),
      `${percent(m.before)} → **${percent(m.firstSecond)}** / ${percent(m.firstFive)}`,
      `**${recoveryText(m.recovery, setup.postMs)}**`,
      // A recovery within the first 100 ms step is counted as 100 ms: the steps cannot tell it finer.
      against(
        m.recovery === undefined ? undefined : Math.max(m.recovery, 100),
        off?.recovery === undefined ? undefined : Math.max(off.recovery, 100),
        setup.postMs,
      ),
      byReason(seriesOf(m.metrics, 'clustache_cache_l1_flushes_total', 'reason')),
      repairs(m.metrics),
      `**${m.stale.stale}** of ${m.stale.checked}`,
    ];
  });
  const curve = runs.map((run, i) => [run.variant.label, ...measures[i]!.perSecond.map(percent)]);
  return [
    `## ${title}`,
    '',
    description(setup),
    '',
    table(
      [
        'variant',
        'source loads in the 5 s after back',
        'vs repair off',
        'hit ratio before → first 1 s / first 5 s after',
        'back within 5 % after',
        'vs repair off',
        'L1 flushes (reason)',
        'repairs',
        'stale reads (of reads checked)',
      ],
      rows,
    ),
    '',
    'Fleet hit ratio, second by second after each replica came back:',
    '',
    table(['variant', ...measures[0]!.perSecond.map((_, s) => `${s}–${s + 1} s`)], curve),
    '',
    "What the log holds in Redis (the runner's redis-server; the source of record has its own), and what repair read from it:",
    '',
    table(
      [
        'variant',
        '`used_memory` before warming → end',
        'log stream at the end (`XLEN`, `MEMORY USAGE`)',
        'log commands per message (`XADD`+`XTRIM`, commandstats)',
        'log reads after the blip',
      ],
      runs.map(logHoldingsRow),
    ),
    '',
    logCostTable(cost),
    '',
    "What the replicas' metrics say happened, fleet-wide, from just before the blip to the end:",
    '',
    table(
      [
        'variant',
        'L1 entries before the blip → fewest in the first 1 s after back → 5 s after back',
        'source loads during the blip',
        'bus messages dropped (reason)',
        'load leases (outcome)',
        'stores rejected',
        'conflicts',
      ],
      runs.map((run, i) => {
        const m = measures[i]!.metrics;
        const { replicas, blip } = run;
        return [
          run.variant.label,
          `${entriesAt(replicas, () => blip.firstKillAt)} → ${fewestEntriesAfterBack(replicas, 1000)} → ${entriesAt(replicas, (r) => r.backAt + 5000)}`,
          String(loadsBetween(replicas, blip.firstKillAt, Math.min(...replicas.map((r) => r.backAt)))),
          byReason(seriesOf(m, 'clustache_cache_bus_messages_dropped_total', 'reason')),
          byReason(seriesOf(m, 'clustache_cache_load_leases_total', 'outcome')),
          String(total(seriesOf(m, 'clustache_cache_stores_rejected_total'))),
          String(total(seriesOf(m, 'clustache_cache_conflicts_total'))),
        ];
      }),
    ),
    '',
    [verdict(setup, runs, measures), notes(setup, runs, measures), machineNote(machine)].join(' '),
    '',
    `Reproduce: \`npm run bench -- --only ${id}\` (this block; about a minute on 2 cores). A quick smoke run, printed only: \`npm run bench -- --only ${id} --replicas 3 --keys 1000\` (also \`--rate\`, \`--blip-ms\`, \`--post-ms\`, \`--loader-ms\`).`,
  ].join('\n');
}

function description(setup: Setup): string {
  const written = Math.round(setup.keys * setup.writeFraction);
  return [
    `${setup.replicas} replica processes on one \`redis-server\` hold the same ${setup.keys} warm keys (one replica loads them through \`getOrLoad\`, the others fill from its bus messages).`,
    `Each reads uniformly random keys at ${setup.perSecond} reads/s through \`getOrLoad\`, on schedule whether or not earlier reads have answered; the loader reads a source of record on a second \`redis-server\`, waits ${setup.loaderMs} ms like a database, and counts its calls.`,
    `Then every pub/sub connection is killed with \`CLIENT KILL TYPE pubsub\` and kept away for ${formatMs(setup.blipMs)}: \`maxclients\`, lowered to the connections that stay, turns reconnections away (killing alone does not keep them away: ioredis is back within ~100 ms), and the kill is repeated every ${setup.killEveryMs} ms. Meanwhile one replica rewrites ${written} keys (${setup.writeFraction * 100} %) in turn, a write at most every ${setup.writeEveryMs} ms (each waits for the one before): the source first, then \`set\`, or \`delete\` every ${setup.deleteEvery}th write.`,
    `"Back" is the moment a replica's subscription was in place again after the last kill; every window below starts there, replica by replica. A read is a hit when L1 answered it on the spot.`,
    `Bus: \`heartbeatMs\` ${setup.heartbeatMs}, \`maxLagMs\` ${setup.maxLagMs}; \`loadLease.waitMs\` and everything else at the defaults. Variants, each on fresh caches: repair on (\`bus.replayLog.enabled: true\`, the default), repair off (\`false\`: every possible loss drops L1), and repair off with load leases off (\`loadLease.enabled: false\`).`,
  ].join(' ');
}

function verdict(setup: Setup, runs: readonly VariantRun[], measures: readonly Measures[]): string {
  const at = runs.findIndex((run) => run.variant.id === 'repair-on');
  const run = runs[at];
  const m = measures[at];
  if (run === undefined || m === undefined) return '';
  const allowed = m.keysWritten + Math.round(setup.keys * TARGET_EXTRA_FRACTION);
  const target = `Target (issue 12): with repair on, source loads in the 5 s after the blip ≤ keys written during it + 5 % of the hot set (${m.keysWritten} + ${Math.round(setup.keys * TARGET_EXTRA_FRACTION)} = ${allowed}), and the hit ratio back within 5 % of its level before the blip in under ${formatMs(TARGET_RECOVERY_MS)}`;
  if (run.log === undefined)
    return `${target} — **not measured**: the engine measured wrote no replay log (no stream key in Redis), so "repair on" ran as repair off; the variant is wired (\`bus.replayLog.enabled: true\`) and measures the log once the engine has it.`;
  const loadsMet = m.loads <= allowed;
  const timeMet = m.recovery !== undefined && m.recovery < TARGET_RECOVERY_MS;
  const met = loadsMet && timeMet;
  return `${target} — **${met ? 'met' : 'not met'}**: ${m.loads} loads (${loadsMet ? 'within' : 'over'} ${allowed}), back within 5 % ${recoveryText(m.recovery, setup.postMs)} after (${timeMet ? 'under' : 'not under'} ${formatMs(TARGET_RECOVERY_MS)}).`;
}

function notes(setup: Setup, runs: readonly VariantRun[], measures: readonly Measures[]): string {
  const reconnects = runs.map((_, i) =>
    total(seriesOf(measures[i]!.metrics, 'clustache_cache_bus_reconnects_total')),
  );
  const backs = runs.flatMap((run) => run.replicas.map((replica) => replica.backAt - run.blip.lastKillAt));
  const stall = Math.max(
    ...runs.flatMap((run) => run.replicas.map((replica) => replica.report.worstStallMs)),
  );
  const stale = measures.reduce((sum, m) => sum + m.stale.stale, 0);
  const within = measures.reduce((sum, m) => sum + m.stale.withinBound, 0);
  const errors = runs.reduce(
    (sum, run) => sum + run.replicas.reduce((n, replica) => n + replica.report.errors, 0),
    0,
  );
  const examples = measures.flatMap((m) => m.stale.examples).slice(0, 3);
  return [
    `The blip: ${runs.map((run) => `${run.blip.kills} kills closed ${run.blip.killed} subscriber connections`).join(' / ')} (variants in table order); replicas resubscribed ${reconnects.join(' / ')} times in all, a flush or repair each, and were back a median ${formatMs(median(backs))} after the last kill (at most ${formatMs(Math.max(...backs))}).`,
    `Warming: ${runs.map((run) => `${run.warm.loads} loads, ${formatMs(run.warmMs)}`).join(' / ')} until every replica held every key.`,
    `Writes during the blip: ${runs.map((run) => `${run.writes.sets + run.writes.deletes}`).join(' / ')} (1 in ${setup.deleteEvery} a \`delete\`), ${runs.map((run) => run.writes.unpropagated).join(' / ')} not propagated.`,
    `Stale reads: a read of a written key is stale if it returned a version older than one whose write had completed more than ${staleBoundMs(setup)} ms (\`maxLagMs\` + one heartbeat + 30 ms, the fault table's bound) before it was issued; ${stale === 0 ? 'none' : `**${stale}**`} in this run (${within} reads were older than a write completed within the bound, which the bound allows)${examples.length > 0 ? `: ${examples.join('; ')}` : ''}.`,
    ...runs.flatMap((run) =>
      run.stuck.map(
        (stuck) =>
          `**${run.variant.label}: a replica did not come back**, and is left out of the numbers above — ${stuck}.`,
      ),
    ),
    `${errors} reads failed. The worst stall of a replica's read loop was ${formatMs(stall)}.`,
  ].join(' ');
}

function machineNote(machine: { loadBefore: number; loadAfter: number }): string {
  const cores = cpus().length;
  const load = `load average ${machine.loadBefore.toFixed(1)} when the run began and ${machine.loadAfter.toFixed(1)} at its end, on ${cores} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
  return machine.loadBefore >= 1
    ? `**The machine was shared** (${load}): other work ran beside the benchmark, so absolute times move; the ratios against repair off come from the same run.`
    : `Measured with ${load}.`;
}

/** One line for the console. */
export function recoverySummary(setup: Setup, runs: readonly VariantRun[]): string {
  return runs
    .map((run) => {
      const m = measure(setup, run);
      return `${run.variant.id}: ${m.loads} loads in 5 s, hit ratio ${percent(m.before)} → ${percent(m.firstSecond)} (1 s), back in ${recoveryText(m.recovery, setup.postMs)}, ${m.stale.stale} stale${run.log === undefined ? '' : `, log ${run.log.entries} entries`}`;
    })
    .join('; ');
}
