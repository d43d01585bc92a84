import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { freePort, RedisServer, waitFor } from '@clustache/testing';
import { installAlone, RTB_IMAGE_CONTEXT_DIR, tagRoundTrip } from '../src';

/**
 * The RTB image's pruned output (`nx run @clustache/rtb:image-prune`), installed alone with its
 * production dependencies, runs the whole workload: the workspace libraries it needs travelled
 * with it, and it stops cleanly on SIGTERM as Kubernetes stops a pod.
 */
describe('the rtb image contents, copied alone into an empty folder', () => {
  let folder: string;
  let redis: RedisServer;

  beforeAll(async () => {
    folder = await installAlone(RTB_IMAGE_CONTEXT_DIR);
    redis = await RedisServer.start();
  }, 300_000);

  afterAll(async () => {
    await redis?.kill();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('takes a tag, aggregates it, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const rtb = spawn(process.execPath, ['dist/main.js'], {
      cwd: folder,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'production',
        PORT: String(port),
        REDIS_URL: redis.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    rtb.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    rtb.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => rtb.once('exit', resolve));
    try {
      await waitFor(
        async () => {
          if (rtb.exitCode !== null) throw new Error(`rtb exited with ${rtb.exitCode}: ${output}`);
          return (await fetch(`${base}/ready`).catch(() => undefined))?.ok === true;
        },
        { timeoutMs: 20_000, intervalMs: 100, description: `/ready on ${base}` },
      );
      await tagRoundTrip(base, 'rtb-image', 10_000);
    } finally {
      rtb.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
