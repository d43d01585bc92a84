import { createApp } from './app';
import { ConfigError, jsonLogger, redactedUrl, exitOnSignal } from '@clustache/service';
import { loadConfig, type ApiConfig } from './config';
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
    redis: redactedUrl(config.redisUrl),
  });
  api.ready(30_000).then(
    () => logger.info('ready: redis connected, cache bus subscribed'),
    () => logger.warn('redis not reachable yet; /ready stays 503 while retrying'),
  );

  exitOnSignal(() => running.shutdown(), logger);
}

void main();
