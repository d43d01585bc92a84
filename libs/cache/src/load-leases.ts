import type { RedisGateway } from './redis/gateway';

/** Deletes the lease only if this replica still holds it (it may have expired and been taken). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export type LeaseOutcome = 'won' | 'lost' | 'unavailable';

/**
 * One source load per key across all replicas. A replica that misses a key asks Redis for the
 * key's load lease (SET NX PX); the winner loads and publishes the fill, the others wait for it
 * on the bus instead of calling the source. Leases expire on their own, so a replica that dies
 * mid-load holds nobody up for longer than `leaseMs`.
 */
export class LoadLeases {
  constructor(
    private readonly gateway: RedisGateway,
    private readonly prefix: string,
    private readonly holder: string,
    private readonly leaseMs: number,
  ) {}

  /** `unavailable` when Redis cannot be asked: load without one. */
  async acquire(key: string): Promise<LeaseOutcome> {
    const reply = await this.gateway.runOr(
      'lease.acquire',
      (redis) => redis.set(this.prefix + key, this.holder, 'PX', this.leaseMs, 'NX'),
      undefined,
    );
    if (reply === undefined) return 'unavailable';
    return reply === 'OK' ? 'won' : 'lost';
  }

  async release(key: string): Promise<void> {
    await this.gateway.runOr(
      'lease.release',
      (redis) => redis.eval(RELEASE, 1, this.prefix + key, this.holder),
      0,
    );
  }
}
