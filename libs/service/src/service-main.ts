import type { RequestListener } from 'node:http';
import { ConfigError, redactedUrl, type Env } from './env';
import { jsonLogger } from './json-logger';
import type { Logger } from './logger';
import { exitOnSignal, serve, type RunningServer } from './serve';

/** How long start-up waits for Redis before logging that `/ready` stays 503 while it retries. */
export const READY_WAIT_MS = 30_000;

/** One service instance as its process runs it: a request listener and the life around it. */
export interface ServiceInstance {
  /** The HTTP server's request listener. */
  readonly listener: RequestListener;
  /** Resolves once its Redis connections are up; rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /** `/ready` turns 503 and responses carry `Connection: close`. */
  beginShutdown(): void;
  /** Stops background work and closes every connection. */
  close(): Promise<void>;
}

/** The configuration every service has. */
export interface ServiceConfig {
  readonly port: number;
  readonly instanceId: string;
  readonly redisUrl: string;
}

/** What one service's process entry adds to `runService`. */
export interface ServiceMain<C extends ServiceConfig, S extends ServiceInstance> {
  /** Starts the one line printed on an invalid configuration, e.g. `rtb`. */
  readonly name: string;
  /** Reads the configuration; a ConfigError stops the process with exit code 1. */
  loadConfig(env: Env): C;
  /** Builds the instance; listening is `runService`'s job. */
  create(config: C, logger: Logger): S;
  /** Fields the `listening` line carries after the port. @default none */
  describe?(config: C, instance: S): Record<string, unknown>;
  /** The line logged once Redis is connected, e.g. `ready: redis connected`. */
  readonly readyMessage: string;
}

/**
 * Listens on `port` with the instance's listener; `shutdown()` marks the instance as leaving,
 * lets in-flight requests finish, then closes it.
 */
export function serveInstance(instance: ServiceInstance, port: number): Promise<RunningServer> {
  return serve(instance.listener, port, {
    onShutdownBegin: () => instance.beginShutdown(),
    onDrained: () => instance.close(),
  });
}

/**
 * A service process from start to exit: the configuration from the environment (one line on
 * stderr and exit 1 when it is invalid), JSON logs on stdout, the instance listening on `PORT`,
 * a log line once Redis is connected (or a warning after 30 s that it still retries), and a
 * graceful exit 0 on SIGTERM or SIGINT.
 */
export async function runService<C extends ServiceConfig, S extends ServiceInstance>(
  main: ServiceMain<C, S>,
): Promise<void> {
  let config: C;
  try {
    config = main.loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${main.name}: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
  const logger = jsonLogger('info');
  const instance = main.create(config, logger);
  const running = await serveInstance(instance, config.port).catch((error: unknown) => {
    logger.error('cannot listen', { port: config.port, err: error });
    process.exit(1);
  });
  logger.info('listening', {
    port: running.port,
    ...main.describe?.(config, instance),
    instanceId: config.instanceId,
    redis: redactedUrl(config.redisUrl),
  });
  instance.ready(READY_WAIT_MS).then(
    () => logger.info(main.readyMessage),
    () => logger.warn('redis not reachable yet; /ready stays 503 while retrying'),
  );
  exitOnSignal(() => running.shutdown(), logger);
}
