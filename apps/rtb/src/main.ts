import { ConfigError, jsonLogger, redactedUrl, serve, exitOnSignal } from '@clustache/service';
import { createRtb } from './app';
import { loadRtbConfig, type RtbConfig } from './config';

/**
 * The process entry (`npm run start:rtb`): the contract's API on `PORT` with its aggregators in
 * the same process (`RTB_ROLE=all`), or one half of that (`api`, `aggregator`) as the Helm
 * chart runs them. JSON logs on stdout; a graceful exit 0 on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  let config: RtbConfig;
  try {
    config = loadRtbConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`rtb: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
  const logger = jsonLogger('info');
  const rtb = createRtb(config, logger);
  const running = await serve(rtb.app, config.port, {
    onShutdownBegin: () => rtb.beginShutdown(),
    onDrained: () => rtb.close(),
  }).catch((error: unknown) => {
    logger.error('cannot listen', { port: config.port, err: error });
    process.exit(1);
  });
  logger.info('listening', {
    port: running.port,
    role: config.role,
    aggregators: rtb.aggregators.length,
    instanceId: config.instanceId,
    redis: redactedUrl(config.redisUrl),
  });
  rtb.ready(30_000).then(
    () => logger.info('ready: redis connected'),
    () => logger.warn('redis not reachable yet; /ready stays 503 while retrying'),
  );
  exitOnSignal(() => running.shutdown(), logger);
}

void main();
