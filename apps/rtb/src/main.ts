import { runService } from '@clustache/service';
import { createRtb } from './app';
import { loadRtbConfig } from './config';

/**
 * The process entry (`npm run start:rtb`): the contract's API on `PORT` with its aggregators in
 * the same process (`RTB_ROLE=all`), or one half of that (`api`, `aggregator`) as the Helm
 * chart runs them. JSON logs on stdout; a graceful exit 0 on SIGTERM or SIGINT.
 */
void runService({
  name: 'rtb',
  loadConfig: loadRtbConfig,
  create: createRtb,
  describe: (config, rtb) => ({ role: config.role, aggregators: rtb.aggregators.length }),
  readyMessage: 'ready: redis connected',
});
