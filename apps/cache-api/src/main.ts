import { runService } from '@clustache/service';
import { createApp } from './app';
import { loadConfig } from './config';

/**
 * The process entry (`npm run start:api`): configuration from the environment, one API instance
 * on `PORT`, JSON logs on stdout, and a graceful exit 0 on SIGTERM or SIGINT.
 */
void runService({
  name: 'cache-api',
  loadConfig,
  create: (config, logger) => createApp(config, { logger }),
  readyMessage: 'ready: redis connected, cache bus subscribed',
});
