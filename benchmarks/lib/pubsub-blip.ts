import type Redis from 'ioredis';
import { sleep, wallClockMs } from './replica-child';

/** What a blip did, in wall-clock epoch ms comparable with the replicas' clocks. */
export interface Blip {
  /** When the first kill had been carried out. */
  firstKillAt: number;
  /** When the last kill had been carried out and new connections were let in again. */
  lastKillAt: number;
  /** `CLIENT KILL` commands sent. */
  kills: number;
  /** Subscriber connections they closed. */
  killed: number;
}

/**
 * Keeps every pub/sub subscriber of a redis-server away for `durationMs`: `CLIENT KILL TYPE
 * pubsub` drops them all, and `maxclients`, lowered to the connections that stay, turns their
 * reconnections away until it is put back. Killing alone does not keep them away: ioredis
 * reconnects within ~100 ms, so a subscriber killed every 50 ms is back in between kills, and
 * each comeback is a resubscription. The kill is still repeated every `everyMs`, for any
 * subscriber that got in regardless. Other connections (the replicas' command connections,
 * this admin connection) are untouched, so writes and their publishes go on: only deliveries
 * are lost. `maxclients` is restored whatever happens.
 */
export async function blipPubSub(admin: Redis, durationMs: number, everyMs: number): Promise<Blip> {
  const [, limit] = (await admin.config('GET', 'maxclients')) as [string, string];
  const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
  const subscribers = list.split('\n').filter(Boolean).length;
  const connected = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
  await admin.config('SET', 'maxclients', String(Math.max(1, connected - subscribers)));
  const until = wallClockMs() + durationMs;
  let firstKillAt = 0;
  let lastKillAt = 0;
  let kills = 0;
  let killed = 0;
  try {
    for (;;) {
      const due = wallClockMs() + everyMs;
      killed += Number(await admin.client('KILL', 'TYPE', 'pubsub'));
      kills++;
      lastKillAt = wallClockMs();
      if (firstKillAt === 0) firstKillAt = lastKillAt;
      if (lastKillAt >= until) break;
      await sleep(Math.max(0, due - wallClockMs()));
    }
  } finally {
    await admin.config('SET', 'maxclients', limit);
    lastKillAt = wallClockMs();
  }
  return { firstKillAt, lastKillAt, kills, killed };
}
