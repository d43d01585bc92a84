import { nodeFor } from './redis/connections';
import { RedisGateway } from './redis/gateway';

/** A value read from L2 with the version it was written at. */
export interface L2Value {
  value: unknown;
  json: string;
  version: number;
}

/**
 * Keeps a key only if the stored version is older: a slow replica cannot overwrite a newer
 * value, and a delete (an empty value at its version) blocks older writes until it expires.
 */
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local version = tonumber(string.match(current, '^(%d+)|'))
  if version and version >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1`;

/**
 * Redis as an optional shared second tier: a replica's L1 miss can be answered without the
 * source. Values are stored as `<version>|<json>`; an empty JSON part is a delete marker.
 */
export class RedisL2 {
  constructor(
    private readonly gateway: RedisGateway,
    private readonly prefix: string,
    private readonly tombstoneTtlMs: number,
  ) {}

  /** All keys in one MGET; misses and failures are undefined. */
  async getMany(keys: readonly string[]): Promise<(L2Value | undefined)[]> {
    if (keys.length === 0) return [];
    const raws = await this.gateway.runOr(
      'l2.mget',
      (redis) => redis.mget(keys.map((k) => this.prefix + k)),
      [],
    );
    return keys.map((_, i) => parse(raws[i] ?? null));
  }

  /** All writes in one pipelined round trip. */
  async setMany(
    entries: readonly { key: string; json: string; version: number; ttlMs: number }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.gateway
      .pipeline('l2.set', (pipeline) => {
        for (const { key, json, version, ttlMs } of entries) {
          pipeline.eval(SET_IF_NEWER, 1, this.prefix + key, version, json, Math.ceil(ttlMs));
        }
      })
      .catch(() => undefined);
  }

  async delete(key: string, version: number): Promise<void> {
    await this.setMany([{ key, json: '', version, ttlMs: this.tombstoneTtlMs }]);
  }

  /**
   * Deletes matching keys with SCAN + UNLINK (never KEYS); returns how many went. On a cluster the
   * cache's keys share one slot, so scanning the master that owns it finds them all.
   */
  async deleteByPattern(pattern: string): Promise<number> {
    return this.gateway.runOr(
      'l2.scan',
      async (client) => {
        const redis = nodeFor(client, this.prefix);
        let cursor = '0';
        let removed = 0;
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', this.prefix + pattern, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) removed += await redis.unlink(...keys);
        } while (cursor !== '0');
        return removed;
      },
      0,
    );
  }
}

function parse(raw: string | null): L2Value | undefined {
  if (raw === null) return undefined;
  const bar = raw.indexOf('|');
  const json = raw.slice(bar + 1);
  if (bar < 1 || json === '') return undefined;
  return { value: JSON.parse(json), json, version: Number(raw.slice(0, bar)) };
}
