/** The recovery benchmark's Redis tables: what the log holds, and what it costs per message. */
import { formatMs, formatRatio, table } from '../lib/format';
import { spent } from '../lib/redis-info';
import { median } from '../lib/stats';
import type { LogCost, Side } from './recovery.log-cost';
import type { VariantRun } from './recovery.variant';

/** What the log held at the end of a variant, what writing it took, and what repair read back. */
export function logHoldingsRow(run: VariantRun): string[] {
  const { before, warmed, end } = run.redis;
  const whole = spent(before, end);
  const after = spent(warmed, end);
  const xadd = whole.commands['xadd'];
  const trim = whole.commands['xtrim']?.usec ?? 0;
  const reads = ['xrange', 'xrevrange', 'xread'].reduce(
    (sum, command) => {
      const totals = after.commands[command];
      return { calls: sum.calls + (totals?.calls ?? 0), usec: sum.usec + (totals?.usec ?? 0) };
    },
    { calls: 0, usec: 0 },
  );
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return [
    run.variant.label,
    `${mb(before.usedMemory)} → ${mb(end.usedMemory)}`,
    run.log === undefined
      ? 'none'
      : `${run.log.entries} entries, ${mb(run.log.bytes)} (${Math.round(run.log.bytes / Math.max(1, run.log.entries))} B each)`,
    xadd === undefined ? '—' : `${((xadd.usec + trim) / xadd.calls).toFixed(1)} µs × ${xadd.calls}`,
    reads.calls === 0 ? '—' : `${reads.calls} reads, ${formatMs(reads.usec / 1000)}`,
  ];
}

/** The log's cost per message: Redis CPU with and without it, side by side, and the commands it went to. */
export function logCostTable(cost: LogCost): string {
  const cpu = (side: Side) => median(cost.cpuUs[side]);
  const range = (side: Side) =>
    `${Math.min(...cost.cpuUs[side]).toFixed(1)}–${Math.max(...cost.cpuUs[side]).toFixed(1)}`;
  const commands = (side: Side) =>
    Object.entries(cost.commands[side])
      .filter(([command, totals]) => command !== 'info' && totals.calls * 2 >= cost.messages[side])
      .sort(([, a], [, b]) => b.usec - a.usec)
      .map(
        ([command, totals]) =>
          `${command.toUpperCase()} ${(totals.usec / cost.messages[side]).toFixed(1)} µs`,
      )
      .join(', ');
  const share = cpu('log') - cpu('plain');
  const logged = cost.commands.log['xadd'] !== undefined;
  return [
    `Redis CPU per message with and without the log: one replica writes ${cost.perRound} values per round through a cache with \`bus.replayLog.enabled: true\` and one with \`false\`, ${cost.rounds} interleaved rounds each after a warm-up round, nothing else on the server; medians (range over rounds). Commands run by a script count twice in commandstats: on their own and in the script's time.`,
    '',
    table(
      [
        'cache',
        'Redis CPU per message (`used_cpu_sys+user`)',
        'Redis command time per message (commandstats)',
      ],
      [
        [
          logged ? 'replay log on' : 'replay log on (the engine wrote no log: the same as off)',
          `**${cpu('log').toFixed(1)} µs** (${range('log')})`,
          commands('log'),
        ],
        ['replay log off', `**${cpu('plain').toFixed(1)} µs** (${range('plain')})`, commands('plain')],
        [
          "the log's share",
          logged
            ? `**${share >= 0 ? '+' : ''}${share.toFixed(1)} µs** (${formatRatio(cpu('log') / cpu('plain'))})`
            : '— (no log)',
          '',
        ],
      ],
    ),
  ].join('\n');
}
