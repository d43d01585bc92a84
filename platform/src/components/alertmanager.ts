import { join } from 'node:path';
import type { ProcessSpec } from '../managed-process';
import { httpOk } from '../net';

/** Alertmanager on loopback with clustering off, so it never binds the cluster port (9094). */
export function alertmanagerSpec(
  binary: string,
  configFile: string,
  port: number,
  workDir: string,
): ProcessSpec {
  return {
    name: 'alertmanager',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${join(workDir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    logFile: join(workDir, 'logs', 'alertmanager.log'),
    ready: () => httpOk(`http://127.0.0.1:${port}/-/ready`),
  };
}
