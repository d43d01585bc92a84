import { join } from 'node:path';
import type { ProcessSpec } from '../managed-process';
import { httpOk } from '../net';

/** The Redis exporter (scraped as job="redis-exporter"), pointed at the platform's Redis. */
export function redisExporterSpec(
  binary: string,
  redisUrl: string,
  port: number,
  workDir: string,
): ProcessSpec {
  return {
    name: 'redis-exporter',
    command: binary,
    args: ['-redis.addr', redisUrl, '-web.listen-address', `127.0.0.1:${port}`],
    logFile: join(workDir, 'logs', 'redis-exporter.log'),
    ready: () => httpOk(`http://127.0.0.1:${port}/metrics`),
  };
}
