import { freePort, waitFor } from '@clustache/testing';
import { redisServerSpec } from '../src/components/redis';
import { ManagedProcess } from '../src/managed-process';
import { isPortFree, redisPing } from '../src/net';
import { workDir } from './support/work-dir';

describe('ManagedProcess (supervising a real redis-server)', () => {
  let dir: Awaited<ReturnType<typeof workDir>>;
  const processes: ManagedProcess[] = [];

  beforeEach(async () => {
    dir = await workDir();
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((process) => process.stop()));
    await dir.remove();
  });

  it('starts, restarts after a crash with a backoff, and stops leaving the port free', async () => {
    const port = await freePort();
    const events: string[] = [];
    const redis = new ManagedProcess(redisServerSpec('redis-server', port, dir.path), {
      exited: (name, description, restartInMs) =>
        events.push(`${name} exited (${description}), restart in ${restartInMs}`),
      restarted: (name) => events.push(`${name} back`),
    });
    processes.push(redis);
    await redis.start();
    expect(await redisPing(`redis://127.0.0.1:${port}`)).toBe(true);
    const firstPid = redis.pid;

    redis.crash();
    await waitFor(() => events.includes('redis-server back'), {
      timeoutMs: 10_000,
      description: 'the restart',
    });
    expect(events[0]).toBe('redis-server exited (signal SIGKILL), restart in 1000');
    expect(redis.pid).not.toBe(firstPid);
    expect(await redisPing(`redis://127.0.0.1:${port}`)).toBe(true);

    await redis.stop();
    expect(redis.running).toBe(false);
    expect(await isPortFree(port)).toBe(true);
  });

  it('fails to start with the tail of the process log when it exits at once', async () => {
    const spec = redisServerSpec('redis-server', await freePort(), dir.path);
    spec.args.push('--no-such-option', 'yes');
    const redis = new ManagedProcess(spec, { exited: () => undefined, restarted: () => undefined });
    processes.push(redis);
    await expect(redis.start()).rejects.toThrow(
      /redis-server exited \(code 1\) while starting[\s\S]*last lines[\s\S]*no-such-option/,
    );
    expect(redis.running).toBe(false);
  });
});
