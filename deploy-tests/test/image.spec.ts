import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { freePort, RedisServer, waitFor } from '@clustache/testing';
import { ChartUnderTest, IMAGE_CONTEXT_DIR, installAlone, one, REPO_ROOT } from '../src';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [relative(IMAGE_CONTEXT_DIR, path)];
  });
}

/** The Dockerfile's instructions, one per logical line (continuations joined). */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('the cache-api image contents (the pruned output of nx run @clustache/cache-api:image-prune)', () => {
  beforeAll(() => {
    if (!existsSync(join(IMAGE_CONTEXT_DIR, 'package.json'))) {
      throw new Error(
        `${IMAGE_CONTEXT_DIR} is missing: run npx nx run @clustache/cache-api:image-prune (nx runs it before these tests)`,
      );
    }
  });

  const dockerfile = () =>
    instructions(readFileSync(join(REPO_ROOT, 'apps', 'cache-api', 'Dockerfile'), 'utf8'));

  it('holds only what the Dockerfile copies: compiled JavaScript, a production package.json and lockfile, workspace libraries', () => {
    expect(readdirSync(IMAGE_CONTEXT_DIR).sort()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'dist',
      'package-lock.json',
      'package.json',
      'workspace_modules',
    ]);
    const files = walk(IMAGE_CONTEXT_DIR);
    expect(
      files.filter((file) => /\.(ts|tsbuildinfo|map)$/.test(file) || /(^|\/)(src|test)\//.test(file)),
    ).toEqual([]);
    expect(files).toContain('dist/main.js');
    const manifest = JSON.parse(readFileSync(join(IMAGE_CONTEXT_DIR, 'package.json'), 'utf8'));
    expect(manifest.devDependencies ?? {}).toEqual({});
    expect(manifest.dependencies['@clustache/cache']).toBe('file:./workspace_modules/@clustache/cache');
    expect(files).toContain('workspace_modules/@clustache/cache/dist/index.js');

    const copied = dockerfile()
      .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    for (const source of copied) expect(existsSync(join(IMAGE_CONTEXT_DIR, source))).toBe(true);
    expect(new Set(copied)).toEqual(
      new Set(['package.json', 'package-lock.json', 'workspace_modules', 'dist']),
    );
  });

  it('is built in stages on a pinned LTS Node, installs production dependencies only, and runs as a non-root user', () => {
    const lines = dockerfile();
    const nodeVersion = lines.find((line) => line.startsWith('ARG NODE_VERSION='))!.split('=')[1]!;
    expect(nodeVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(nodeVersion.split('.')[0]) % 2).toBe(0); // even majors are the LTS lines
    const stages = lines.filter((line) => line.startsWith('FROM '));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:\$\{NODE_VERSION\}-alpine AS \w+$/);
    expect(lines.some((line) => /^RUN npm ci --omit=dev\b/.test(line))).toBe(true);
    const finalStage = lines.slice(lines.lastIndexOf(stages.at(-1)!));
    const user = finalStage.find((line) => line.startsWith('USER '))!;
    expect(user).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    expect(finalStage.at(-1)).toBe('CMD ["node", "dist/main.js"]');
  });

  describe('copied alone into an empty folder with its production dependencies installed', () => {
    let folder: string;
    let redis: RedisServer;
    let api: ChildProcess | undefined;
    let port: number;
    let output = '';

    beforeAll(async () => {
      folder = await installAlone(IMAGE_CONTEXT_DIR);
      redis = await RedisServer.start();
      port = await freePort();
    }, 300_000);

    afterAll(async () => {
      if (api && api.exitCode === null && api.signalCode === null) {
        const exited = once(api, 'exit');
        api.kill('SIGKILL');
        await exited;
      }
      await redis?.kill();
      rmSync(folder, { recursive: true, force: true });
    });

    it('has no development dependencies installed', () => {
      const installed = readdirSync(join(folder, 'node_modules'));
      expect(installed).toEqual(expect.arrayContaining(['express', 'ioredis', 'prom-client', '@clustache']));
      for (const dev of ['jest', 'typescript', 'nx', 'ts-jest', 'eslint', '@nx', 'yaml'])
        expect(installed).not.toContain(dev);
    });

    it('starts, answers /ready against a real Redis, and passes the probes the chart declares', async () => {
      api = spawn(process.execPath, ['dist/main.js'], {
        cwd: folder,
        env: {
          PATH: process.env['PATH'] ?? '',
          NODE_ENV: 'production',
          PORT: String(port),
          REDIS_URL: redis.url,
          INSTANCE_ID: 'image-test',
          ADMIN_TOKEN: 'image-test-token',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      api.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      api.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const base = `http://127.0.0.1:${port}`;
      await waitFor(
        async () => {
          if (api!.exitCode !== null) throw new Error(`the API exited with ${api!.exitCode}: ${output}`);
          return (await fetch(`${base}/ready`).catch(() => undefined))?.status === 200;
        },
        { timeoutMs: 20_000, intervalMs: 100, description: `/ready on ${base}` },
      );

      const chart = ChartUnderTest.prepare();
      try {
        const container = one(await chart.render(), 'Deployment', 'clustache-api').spec.template.spec
          .containers[0];
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          const response = await fetch(`${base}${container[probe].httpGet.path}`);
          expect({ probe, status: response.status }).toEqual({ probe, status: 200 });
        }
      } finally {
        chart.dispose();
      }

      const first = await fetch(`${base}/data/image-test`);
      expect(first.status).toBe(200);
      expect(first.headers.get('x-cache-status')).toBe('MISS');
      expect((await fetch(`${base}/data/image-test`)).headers.get('x-cache-status')).toBe('HIT');
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('clustache_cache_filled_from_source');
    });

    it('stops cleanly on SIGTERM, as Kubernetes stops a pod', async () => {
      expect(api).toBeDefined();
      const exited = once(api!, 'exit');
      api!.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    });
  });
});
