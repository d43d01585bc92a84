import { jsonLogger } from '@clustache/cache';
import { createApp } from './app';
import { ConfigError, loadConfig, type ApiConfig } from './config';
import { serve } from './http-server';

/**
 * The process entry (`npm run start:api`): configuration from the environment, one API instance
 * on `PORT`, JSON logs on stdout, and a graceful exit 0 on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cache-api: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
  const logger = jsonLogger('info');
  const api = createApp(config, { logger });
  const running = await serve(api, config.port).catch((error: unknown) => {
    logger.error('cannot listen', { port: config.port, err: error });
    process.exit(1);
  });
  logger.info('listening', {
    port: running.port,
    instanceId: config.instanceId,
    redis: redacted(config.redisUrl),
  });
  api.ready(30_000).then(
    () => logger.info('ready: redis connected, cache bus subscribed'),
    () => logger.warn('redis not reachable yet; /ready stays 503 while retrying'),
  );

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info('shutting down: finishing in-flight requests', { signal });
    running.shutdown().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { err: error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

void main();
