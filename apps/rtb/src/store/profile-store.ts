import { execAll, type RedisConnection } from '@clustache/service';
import {
  ACTIONS,
  type AcceptedTag,
  type Action,
  type Profile,
  type TimeRange,
  type UserTag,
} from '@clustache/rtb-contract';
import { decodeProfileEntry, encodeProfileEntry } from './profile-codec';
import { RTB_KEYS } from './keys';
import { streamFields } from './tag-stream';

export interface ProfileLimits {
  /** Tags kept per cookie and action: the contract's "at least the 200 most recent". */
  perAction: number;
  /** Tags older than this (tag time, counted back from each new tag) are trimmed, and idle cookies expire after it. */
  retentionMs: number;
}

/**
 * Where tags land: each accepted tag goes into its cookie's profile (a sorted set per action,
 * capped and trimmed) and onto the aggregators' stream in one MULTI, so a tag is either in both
 * or in neither: a 204 means nothing can be lost, and nothing is ever half-written.
 */
export class ProfileStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly limits: ProfileLimits,
  ) {}

  async record({ tag, timeMs }: AcceptedTag): Promise<void> {
    const key = RTB_KEYS.profile(tag.cookie, tag.action);
    await this.redis.run('record tag', async (redis) => {
      await execAll(
        redis
          .multi()
          .zadd(key, timeMs, encodeProfileEntry(tag, timeMs))
          .zremrangebyrank(key, 0, -(this.limits.perAction + 1))
          .zremrangebyscore(key, '-inf', `(${timeMs - this.limits.retentionMs}`)
          .pexpire(key, this.limits.retentionMs)
          .xadd(RTB_KEYS.stream, '*', ...streamFields(tag, timeMs)),
      );
    });
  }

  async read(cookie: string, range: TimeRange, limit: number): Promise<Profile> {
    const [views, buys] = (await this.redis.run('read profile', (redis) => {
      const pipeline = redis.pipeline();
      for (const action of ACTIONS)
        pipeline.zrevrangebyscore(
          RTB_KEYS.profile(cookie, action),
          `(${range.toMs}`,
          range.fromMs,
          'LIMIT',
          0,
          limit,
        );
      return execAll(pipeline);
    })) as [string[], string[]];
    return {
      cookie,
      views: decodeAll(views, cookie, 'VIEW'),
      buys: decodeAll(buys, cookie, 'BUY'),
    };
  }
}

function decodeAll(members: string[], cookie: string, action: Action): UserTag[] {
  return members.map((member) => decodeProfileEntry(member, cookie, action));
}
