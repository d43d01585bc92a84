import type { RedisClient } from '../redis/connections';
import type { RedisGateway } from '../redis/gateway';

/**
 * Appends payloads to the log and publishes them, in one script so that the log's order is the
 * order subscribers receive them in. The head hash holds the log's epoch (a random name given
 * when the log is first used: a Redis that lost the hash, restarted without persistence, lost
 * the log with it) and `n`, the count of entries ever appended, which numbers each entry.
 * Each entry keeps its number too, so a reader can tell the entry after its position is the one
 * it expects. Entries older than the max age are trimmed by the server's clock.
 * KEYS: stream, head, channel. ARGV: epoch candidate, max length, max age ms, publish command,
 * then (published payload, logged payload) pairs.
 */
const APPEND = `
local epoch = redis.call('HGET', KEYS[2], 'e')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[2], 'e', epoch, 'n', 0)
end
for i = 5, #ARGV, 2 do
  local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'p', ARGV[i + 1], 'n', n)
  redis.call(ARGV[4], KEYS[3], '{"i":"' .. id .. '","n":' .. n .. ',' .. string.sub(ARGV[i], 2))
end
local now = redis.call('TIME')
local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[3])
redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%d-0', math.max(0, oldest)))
return epoch`;

/**
 * Reads what was appended after a position, atomically with the checks that it is complete:
 * same epoch, and as many entries after the position's id as were appended after its number
 * (fewer: trimmed; more, a count that went back, or a first entry with another number: not the
 * log the position was taken in).
 * Returns status, epoch, count, last id, entries. KEYS: stream, head. ARGV: epoch, id, n,
 * epoch candidate (named when the log has none yet).
 */
const READ = `
local head = redis.call('HMGET', KEYS[2], 'e', 'n')
local epoch, n = head[1], tonumber(head[2] or '0')
if not epoch then
  epoch = ARGV[4]
  n = 0
  redis.call('HSET', KEYS[2], 'e', epoch, 'n', 0)
end
local status = 'ok'
local entries = {}
if epoch ~= ARGV[1] then
  status = 'log-lost'
else
  local behind = n - tonumber(ARGV[3])
  if behind < 0 then
    status = 'log-lost'
  elseif behind > 0 then
    entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[2], '+', 'COUNT', behind + 1)
    if #entries < behind then status = 'trimmed'
    elseif #entries > behind then status = 'log-lost'
    elseif entries[1][2][4] ~= tostring(tonumber(ARGV[3]) + 1) then status = 'log-lost' end
  end
end
if status ~= 'ok' then entries = {} end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
return {status, epoch, n, last[1] and last[1][1] or '0-0', entries}`;

/**
 * The newest entries, newest first, with where the log stands, atomically: the first page of a
 * warm start. KEYS: stream, head. ARGV: count.
 */
const RECENT = `
local head = redis.call('HMGET', KEYS[2], 'e', 'n')
return {head[1] or '', tonumber(head[2] or '0'), redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', ARGV[1])}`;

/** Entries a warm start reads per round trip. */
const WARM_PAGE = 500;

/** Where a replica has followed the log to: every entry up to `n` has reached it. */
export interface LogPosition {
  epoch: string;
  id: string;
  n: number;
}

/** Why a log cannot repair what a replica missed. */
export type LogGap = 'trimmed' | 'log-lost';

export interface LogRead {
  /** `ok`: `entries` are everything appended after the position, in order. */
  status: 'ok' | LogGap;
  /** The log's position now: after `entries` when ok, where to start over otherwise. */
  position: LogPosition;
  entries: { mark: { id: string; n: number }; payload: string }[];
}

export interface ReplayLogOptions {
  /** Entries kept at most (XADD MAXLEN ~). */
  maxLength: number;
  /** Entries older than this are trimmed (XTRIM MINID ~). */
  maxAgeMs: number;
}

type Scripted = RedisClient & {
  clustacheLogRecent(...args: (string | number)[]): Promise<[string, number, [string, string[]][]]>;
  clustacheLogAppend(...args: (string | number)[]): Promise<string>;
  clustacheLogRead(
    ...args: (string | number)[]
  ): Promise<[string, string, number, string, [string, string[]][]]>;
};

/**
 * The bus's replay log: every message that changes L1 is also appended to a capped Redis
 * Stream in the cache's slot, in the same script as its publish. A replica that may have missed
 * messages (a sequence gap, a resubscription) reads the log from the last entry it followed and
 * applies exactly what it missed, instead of dropping its whole L1. Small values ride the log,
 * so what a replica missed arrives warm; a large put is logged without its value (a replay
 * makes peers drop their copy), so the log stays bounded in bytes as well as entries.
 */
export class ReplayLog {
  private readonly epochCandidate = Math.random().toString(36).slice(2, 10);

  constructor(
    private readonly gateway: RedisGateway,
    private readonly keys: { stream: string; head: string; channel: string },
    private readonly publishCommand: 'publish' | 'spublish',
    private readonly options: ReplayLogOptions,
  ) {
    gateway.defineScripts({
      clustacheLogAppend: { numberOfKeys: 3, lua: APPEND },
      clustacheLogRead: { numberOfKeys: 2, lua: READ },
      clustacheLogRecent: { numberOfKeys: 2, lua: RECENT },
    });
  }

  /** Appends each message's logged form and publishes its payload, in order, in one round trip. */
  async append(messages: readonly { payload: string; logged: string }[]): Promise<void> {
    const args: (string | number)[] = [
      this.keys.stream,
      this.keys.head,
      this.keys.channel,
      this.epochCandidate,
      this.options.maxLength,
      this.options.maxAgeMs,
      this.publishCommand,
    ];
    for (const { payload, logged } of messages) args.push(payload, logged);
    await this.gateway.run('log.append', (redis) => (redis as Scripted).clustacheLogAppend(...args));
  }

  /**
   * Everything appended after `from`; with no position, only where the log is now. A
   * resubscription can come before the command connection is back (or before a cluster's slot
   * map is): the read waits and tries again, for up to `waitMs`.
   */
  async read(from: LogPosition | undefined, waitMs = 5000): Promise<LogRead> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      await this.gateway.whenReady(Math.max(0, deadline - Date.now()));
      try {
        return await this.readOnce(from);
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  private async readOnce(from: LogPosition | undefined): Promise<LogRead> {
    const [status, epoch, n, lastId, raw] = await this.gateway.run('log.read', (redis) =>
      (redis as Scripted).clustacheLogRead(
        this.keys.stream,
        this.keys.head,
        from?.epoch ?? '',
        from?.id ?? '0-0',
        from?.n ?? 0,
        this.epochCandidate,
      ),
    );
    if (status !== 'ok' || from === undefined) {
      return {
        status: from === undefined ? 'ok' : (status as LogGap),
        position: { epoch, id: lastId, n },
        entries: [],
      };
    }
    const entries = raw.map(([id, fields], index) => ({
      mark: { id, n: from.n + index + 1 },
      payload: fields[1]!,
    }));
    return { status: 'ok', position: entries.length ? { epoch, ...entries.at(-1)!.mark } : from, entries };
  }

  /**
   * The newest `count` entries at most, oldest first, and the position after them: what a warm
   * start applies. Read newest first in pages, at most `perSecond` entries a second so that
   * replicas starting together do not hammer Redis; a page cut short by trimming ends the read
   * (what was read stays contiguous up to the position). Undefined when the log is empty.
   */
  async recent(count: number, perSecond: number): Promise<LogRead | undefined> {
    await this.gateway.whenReady(5000);
    const first = Math.min(count, WARM_PAGE);
    const [epoch, n, newest] = await this.gateway.run('log.read', (redis) =>
      (redis as Scripted).clustacheLogRecent(this.keys.stream, this.keys.head, first),
    );
    if (epoch === '' || newest.length === 0) return undefined;
    const pages = [newest];
    let read = newest.length;
    while (read < count && pages.at(-1)!.length === WARM_PAGE) {
      await new Promise((resolve) => setTimeout(resolve, (1000 * WARM_PAGE) / perSecond));
      const oldest = pages.at(-1)!.at(-1)![0];
      const page = (await this.gateway.run('log.read', (redis) =>
        redis.xrevrange(this.keys.stream, `(${oldest}`, '-', 'COUNT', Math.min(WARM_PAGE, count - read)),
      )) as [string, string[]][];
      if (page.length === 0) break;
      pages.push(page);
      read += page.length;
    }
    const entries = pages
      .flat()
      .reverse()
      .map(([id, fields], index, all) => ({
        mark: { id, n: n - all.length + index + 1 },
        payload: fields[1]!,
      }));
    return { status: 'ok', position: { epoch, ...entries.at(-1)!.mark }, entries };
  }
}
