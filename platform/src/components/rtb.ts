import { join } from 'node:path';
import type { ProcessSpec } from '../managed-process';
import { httpOk } from '../net';

/** Where `npm run build` puts the RTB app's entry point. */
export const RTB_MAIN = join(__dirname, '..', '..', '..', 'apps', 'rtb', 'dist', 'main.js');

/**
 * One RTB process (`node apps/rtb/dist/main.js`) in the role the Helm chart gives it: `api`
 * (the contract's endpoints) or `aggregator` (the stream consumers, with probes and metrics),
 * ready once Redis answers. Named like its Prometheus job's instance.
 */
export function rtbSpec(
  role: 'api' | 'aggregator',
  port: number,
  redisUrl: string,
  workDir: string,
): ProcessSpec {
  const name = `rtb-${role}`;
  return {
    name,
    command: process.execPath,
    args: [RTB_MAIN],
    env: { PORT: String(port), REDIS_URL: redisUrl, INSTANCE_ID: name, RTB_ROLE: role },
    logFile: join(workDir, 'logs', `${name}.log`),
    ready: () => httpOk(`http://127.0.0.1:${port}/ready`),
  };
}
