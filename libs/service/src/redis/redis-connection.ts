import Redis, { ReplyError } from 'ioredis';
import type { Logger } from '../logger';
import { connectionOptions, type ConnectionRole } from './connection-options';
import { RedisUnavailableApiError } from './redis-unavailable-error';

/**
 * A service's own Redis connection (the engine's caches keep theirs): connected with the
 * settings of its role (see `connectionOptions`), and the one place service code talks to Redis.
 * `run` turns a lost connection, a timeout or a refused command into a RedisUnavailableApiError
 * (503 on the request path); an error Redis itself replied with is a bug in our commands and
 * stays as it is (a 500).
 */
export class RedisConnection {
  private constructor(readonly client: Redis) {}

  /**
   * Connects in the background; commands fail (request role) or wait (background role) until
   * it is up. Connection errors are logged at debug level: `run` reports what they cost.
   * @param name names the connection in those log lines, e.g. `source` or `aggregator`.
   */
  static connect(url: string, role: ConnectionRole, logger: Logger, name: string = role): RedisConnection {
    const client = new Redis(connectionOptions(url, role));
    client.on('error', (error: unknown) =>
      logger.debug('redis connection error', { connection: name, role, err: error }),
    );
    return new RedisConnection(client);
  }

  /** True while the connection is up and answering. */
  get isReady(): boolean {
    return this.client.status === 'ready';
  }

  /** Calls `listener` each time the connection comes up (again). */
  onReady(listener: () => void): void {
    this.client.on('ready', listener);
  }

  /** Resolves once the connection is up: at once when it is. */
  async whenReady(): Promise<void> {
    if (!this.isReady) await new Promise((resolve) => this.client.once('ready', resolve));
  }

  /** Resolves once the connection is down: at once when it is not up. */
  async whenLost(): Promise<void> {
    if (this.isReady) await new Promise((resolve) => this.client.once('close', resolve));
  }

  /** Runs one call (a command, a batch or a script); `operation` names it in the 503's message. */
  async run<T>(operation: string, call: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await call(this.client);
    } catch (error) {
      if (error instanceof ReplyError) throw error;
      throw new RedisUnavailableApiError(operation, { cause: error });
    }
  }

  /**
   * Quits politely, or drops the connection when Redis cannot hear it: a QUIT sent while the
   * connection is down would wait in the offline queue for a Redis that may never come back.
   */
  async close(): Promise<void> {
    if (this.client.status !== 'ready') {
      this.client.disconnect();
      return;
    }
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
