import { join } from 'node:path';
import type { ProcessSpec } from '../managed-process';
import { redisPing } from '../net';

/** The platform's own redis-server: loopback only, no persistence, on the port it was given. */
export function redisServerSpec(binary: string, port: number, workDir: string): ProcessSpec {
  const url = `redis://127.0.0.1:${port}`;
  return {
    name: 'redis-server',
    command: binary,
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      workDir,
    ],
    logFile: join(workDir, 'logs', 'redis-server.log'),
    ready: () => redisPing(url),
  };
}
