import type Redis from 'ioredis';
import { readRedis, spent, unlinkMatching, type CommandTotals } from '../lib/redis-info';
import type { ReplicaProcess } from '../lib/replica-process';

export type Side = 'log' | 'plain';

export interface LogCost {
  rounds: number;
  perRound: number;
  /** Redis CPU microseconds per message published, round by round. */
  cpuUs: Record<Side, number[]>;
  /** Redis command totals over every round. */
  commands: Record<Side, Record<string, CommandTotals>>;
  messages: Record<Side, number>;
}

/**
 * What the replay log costs Redis per message, measured apart from the blip so nothing else
 * runs on the server: one replica writes through two caches side by side, one logging and one
 * not, in interleaved rounds (log, plain, plain, log…) so machine noise falls on both alike, and
 * the server's CPU time (`used_cpu_sys+user`) over each round is divided by the messages it took.
 * The difference between the two sides is the log's share; commandstats say which commands it went to.
 */
export async function measureLogCost(
  writer: ReplicaProcess,
  admin: Redis,
  redisUrl: string,
  options: { rounds: number; perRound: number; heartbeatMs: number },
): Promise<LogCost> {
  const { rounds, perRound, heartbeatMs } = options;
  const name = 'bench-recovery-cost';
  await writer.request('costOpen', { redisUrl, name, heartbeatMs });
  const cost: LogCost = {
    rounds,
    perRound,
    cpuUs: { log: [], plain: [] },
    commands: { log: {}, plain: {} },
    messages: { log: 0, plain: 0 },
  };
  let from = 0;
  const round = async (side: Side, measured: boolean) => {
    const before = await readRedis(admin);
    const messages = await writer.request<number>('costBatch', {
      log: side === 'log',
      from,
      count: perRound,
    });
    const after = await readRedis(admin);
    from += perRound;
    if (!measured) return;
    const { cpuSeconds, commands } = spent(before, after);
    cost.cpuUs[side].push((cpuSeconds * 1e6) / messages);
    cost.messages[side] += messages;
    for (const [command, totals] of Object.entries(commands)) {
      const sum = (cost.commands[side][command] ??= { calls: 0, usec: 0 });
      sum.calls += totals.calls;
      sum.usec += totals.usec;
    }
  };
  try {
    await round('log', false); // warm-up: script loaded, stream created, JIT warm
    await round('plain', false);
    for (let r = 0; r < rounds; r++) {
      const order: Side[] = r % 2 === 0 ? ['log', 'plain'] : ['plain', 'log'];
      for (const side of order) await round(side, true);
    }
  } finally {
    await writer.request('costClose');
    await unlinkMatching(admin, `clustache:*${name}*`);
  }
  return cost;
}
