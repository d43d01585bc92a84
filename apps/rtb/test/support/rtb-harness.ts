import { resolve } from 'node:path';
import { RedisServer, ServiceProcess, waitFor } from '@clustache/testing';
import { serve, type RunningServer } from '@clustache/service';
import { createRtb, type RtbProcess } from '../../src/app';
import { loadRtbConfig, type RtbConfig } from '../../src/config';

export const RTB_MAIN = resolve(__dirname, '../../src/main.ts');

/** An RTB process in this test's process, listening on a free port. */
export interface InProcessRtb {
  readonly rtb: RtbProcess;
  readonly server: RunningServer;
  readonly url: string;
  stop(): Promise<void>;
}

/** Test settings: short claim idle so a dead aggregator's tags move on within a test's time. */
export function testConfig(redisUrl: string, env: Record<string, string> = {}): RtbConfig {
  return loadRtbConfig({
    REDIS_URL: redisUrl,
    PORT: '0',
    INSTANCE_ID: 'rtb-test',
    RTB_CLAIM_IDLE_MS: '1000',
    ...env,
  });
}

export async function startInProcess(config: RtbConfig): Promise<InProcessRtb> {
  const rtb = createRtb(config);
  const server = await serve(rtb.app, 0, {
    onShutdownBegin: () => rtb.beginShutdown(),
    onDrained: () => rtb.close(),
  });
  await rtb.ready();
  return { rtb, server, url: server.url, stop: () => server.shutdown(1000) };
}

/** `main.ts` as its own process (an aggregator a test can SIGKILL), ready once `/ready` answers. */
export async function startProcess(
  redis: RedisServer,
  port: number,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child = ServiceProcess.start(RTB_MAIN, {
    REDIS_URL: redis.url,
    PORT: String(port),
    RTB_CLAIM_IDLE_MS: '1000',
    ...env,
  });
  await waitFor(
    async () => {
      if (!child.running) throw new Error(`rtb process exited: ${child.stderr}${child.stdout}`);
      return (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.ok === true;
    },
    { timeoutMs: 20_000, description: 'the rtb process to be ready' },
  );
  return child;
}
