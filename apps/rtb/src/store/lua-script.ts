import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * A Lua script sent by its SHA1 (EVALSHA), falling back to its text the first time a Redis has
 * not seen it (NOSCRIPT, e.g. after a restart). Scripts run atomically, which is what makes the
 * aggregators' acknowledge-and-apply exactly-once.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
