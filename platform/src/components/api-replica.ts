import { join } from 'node:path';
import type { ProcessSpec } from '../managed-process';
import { httpOk } from '../net';

/** Where `npm run build` puts the API's entry point. */
export const API_MAIN = join(__dirname, '..', '..', '..', 'apps', 'cache-api', 'dist', 'main.js');

export interface ReplicaSettings {
  redisUrl: string;
  sourceLatencyMs: number;
  cacheTtlSeconds: number;
  adminToken: string;
}

/** One API replica (`node apps/cache-api/dist/main.js`), ready once Redis is connected and the bus subscribed. */
export function apiReplicaSpec(
  instanceId: string,
  port: number,
  settings: ReplicaSettings,
  workDir: string,
): ProcessSpec {
  return {
    name: instanceId,
    command: process.execPath,
    args: [API_MAIN],
    env: {
      PORT: String(port),
      REDIS_URL: settings.redisUrl,
      INSTANCE_ID: instanceId,
      SOURCE_LATENCY_MS: String(settings.sourceLatencyMs),
      CACHE_TTL_SECONDS: String(settings.cacheTtlSeconds),
      ADMIN_TOKEN: settings.adminToken,
    },
    logFile: join(workDir, 'logs', `${instanceId}.log`),
    ready: () => httpOk(`http://127.0.0.1:${port}/ready`),
  };
}
