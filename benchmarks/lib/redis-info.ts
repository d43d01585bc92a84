import type Redis from 'ioredis';

/** One command's totals from `INFO commandstats` (commands run by scripts are counted too). */
export interface CommandTotals {
  calls: number;
  usec: number;
}

/**
 * What a benchmark reads from a redis-server to say what a feature costs it: memory in use, the
 * CPU time the server process has used, and the time spent in each command. Two readings taken
 * around a phase subtract into that phase's cost.
 */
export interface RedisReading {
  /** `used_memory`, bytes. */
  usedMemory: number;
  /** `used_cpu_sys + used_cpu_user`, seconds. */
  cpuSeconds: number;
  /** By lower-case command name (`xadd`, `eval`, `client|kill`…). */
  commands: Record<string, CommandTotals>;
}

export async function readRedis(redis: Redis): Promise<RedisReading> {
  const [memory, cpu, commandstats] = await Promise.all([
    redis.info('memory'),
    redis.info('cpu'),
    redis.info('commandstats'),
  ]);
  const commands: Record<string, CommandTotals> = {};
  for (const [, name, calls, usec] of commandstats.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    commands[name!] = { calls: Number(calls), usec: Number(usec) };
  return {
    usedMemory: field(memory, 'used_memory'),
    cpuSeconds: field(cpu, 'used_cpu_sys') + field(cpu, 'used_cpu_user'),
    commands,
  };
}

/** CPU seconds and command totals spent between two readings. */
export function spent(before: RedisReading, after: RedisReading): Omit<RedisReading, 'usedMemory'> {
  const commands: Record<string, CommandTotals> = {};
  for (const [name, totals] of Object.entries(after.commands)) {
    const earlier = before.commands[name] ?? { calls: 0, usec: 0 };
    if (totals.calls > earlier.calls)
      commands[name] = { calls: totals.calls - earlier.calls, usec: totals.usec - earlier.usec };
  }
  return { cpuSeconds: after.cpuSeconds - before.cpuSeconds, commands };
}

/** Keys of type stream matching a glob (SCAN, so it is safe on a server in use). */
export async function streamKeys(redis: Redis, match: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000, 'TYPE', 'stream');
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** Deletes every key matching a glob (SCAN + UNLINK); answers how many went. */
export async function unlinkMatching(redis: Redis, match: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    if (keys.length > 0) removed += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return removed;
}

function field(section: string, name: string): number {
  const match = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(section);
  if (match === null) throw new Error(`INFO has no ${name}`);
  return Number(match[1]);
}
