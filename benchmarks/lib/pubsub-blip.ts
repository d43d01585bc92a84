import type Redis from 'ioredis';
import { sleep, wallClockMs } from './replica-child';

/** What a blip did, in wall-clock epoch ms comparable with the replicas' clocks. */
export interface Blip {
  /** When the first kill had been carried out. */
  firstKillAt: number;
  /** When the last kill had been carried out: a subscription in place after this stays. */
  lastKillAt: number;
  /** `CLIENT KILL` commands sent. */
  kills: number;
  /** Subscriber connections they closed, reconnections included. */
  killed: number;
}

/**
 * Keeps every pub/sub subscriber of a redis-server away for about `durationMs`: the first
 * `CLIENT KILL TYPE pubsub` drops them all, and the kill is repeated every `everyMs` so that
 * their reconnections (ioredis retries within ~100 ms) are dropped again as soon as they have
 * subscribed. Other connections, the replicas' command connections among them, are untouched,
 * so writes and their publishes go on: only deliveries are lost.
 */
export async function blipPubSub(admin: Redis, durationMs: number, everyMs: number): Promise<Blip> {
  const until = wallClockMs() + durationMs;
  let firstKillAt = 0;
  let lastKillAt = 0;
  let kills = 0;
  let killed = 0;
  for (;;) {
    const due = wallClockMs() + everyMs;
    killed += Number(await admin.client('KILL', 'TYPE', 'pubsub'));
    kills++;
    lastKillAt = wallClockMs();
    if (firstKillAt === 0) firstKillAt = lastKillAt;
    if (lastKillAt >= until) break;
    await sleep(Math.max(0, due - wallClockMs()));
  }
  return { firstKillAt, lastKillAt, kills, killed };
}
