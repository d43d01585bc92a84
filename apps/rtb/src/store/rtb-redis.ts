import Redis, { ReplyError, type ChainableCommander, type RedisOptions } from 'ioredis';
import type { Logger } from '@clustache/cache';
import { StoreUnavailableError } from '../errors';

/** How a connection behaves while Redis is away. */
export type ConnectionRole =
  /** Request paths: no offline queue, fail fast with a 503 instead of piling requests up. */
  | 'request'
  /** Background consumers: commands wait for the reconnect; the loop backs off on errors. */
  | 'background';

/**
 * The one place RTB code talks to Redis. `run` turns a connection failure into a
 * StoreUnavailableError (503 on the request path); an error Redis replied with is a bug in our
 * commands and stays as it is.
 */
export class RtbRedis {
  private constructor(readonly client: Redis) {}

  static connect(url: string, role: ConnectionRole, logger: Logger): RtbRedis {
    const options: RedisOptions = {
      // Redis before 7.2 rejects CLIENT SETINFO, and ioredis keeps a 2 s timer per rejection.
      disableClientInfo: true,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
      ...(role === 'request'
        ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000, connectTimeout: 2000 }
        : { maxRetriesPerRequest: null }),
    };
    const client = new Redis(url, options);
    client.on('error', (error: unknown) => logger.debug('redis connection error', { role, err: error }));
    return new RtbRedis(client);
  }

  get isReady(): boolean {
    return this.client.status === 'ready';
  }

  async run<T>(operation: string, call: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await call(this.client);
    } catch (error) {
      if (error instanceof ReplyError) throw error;
      throw new StoreUnavailableError(operation, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** Runs a MULTI or pipeline and returns each command's reply, throwing the first command error. */
export async function execAll(batch: ChainableCommander): Promise<unknown[]> {
  const replies = await batch.exec();
  if (replies === null) throw new Error('the transaction was discarded');
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

/** Whether Redis replied with this error code (`NOGROUP`, `BUSYGROUP`, ...). */
export function isReplyError(error: unknown, code: string): boolean {
  return error instanceof ReplyError && (error as Error).message.startsWith(code);
}
