import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, RedisServer, waitFor } from '@clustache/testing';
import { IMAGE_CONTEXT_DIR, REPO_ROOT, RTB_IMAGE_CONTEXT_DIR, tagRoundTrip } from '../src';
import {
  buildImage,
  inspectImage,
  removeImage,
  removeStaleTestImages,
  requireContainerTools,
  standinBaseImage,
  testImageName,
  type ImageFacts,
} from '../src/container-store';
import { RunningContainer } from '../src/running-container';

/**
 * The real images. buildah builds each app's Dockerfile, unchanged, from the pruned context that
 * "Build image" builds from (dist/image/apps/<app>, staged by the image-prune targets this project's
 * tests depend on), over a local stand-in for its Node base image (no registry is reachable here;
 * see tools/standin-node-image.mjs). podman then runs each image as the chart runs it (uid 1000,
 * read-only root, tmpfs /tmp, no capabilities) against a real redis-server. A machine that cannot
 * build or run containers fails these tests with the reason; nothing is skipped.
 */
const APPS = {
  'cache-api': IMAGE_CONTEXT_DIR,
  rtb: RTB_IMAGE_CONTEXT_DIR,
} as const;
type App = keyof typeof APPS;
const dockerfileOf = (app: App) => join(REPO_ROOT, 'apps', app, 'Dockerfile');
const MB = 1e6;

/** Redis requires it, as the chart's Valkey does; the containers get it as the chart gives it. */
const REDIS_PASSWORD = 'image-test-pässwörd:/@';

describe('the Dockerfiles', () => {
  it.each(Object.keys(APPS) as App[])(
    '%s pulls nothing at build time but its base image: no "# syntax=" frontend line',
    (app) => {
      expect(readFileSync(dockerfileOf(app), 'utf8')).not.toMatch(/^#\s*syntax\s*=/im);
    },
  );
});

describe('the images, built with buildah and run with podman', () => {
  let redis: RedisServer | undefined;
  let base: ImageFacts;
  const images = {} as Record<App, { image: string; facts: ImageFacts }>;
  const containers: RunningContainer[] = [];
  const built: string[] = [];

  async function build(app: App): Promise<void> {
    const image = testImageName(app);
    built.push(image);
    const { buildSeconds } = await buildImage(APPS[app], image);
    images[app] = { image, facts: await inspectImage(image) };
    const size = images[app].facts.sizeBytes;
    console.log(
      `${app}: buildah bud ${buildSeconds.toFixed(1)} s (both images side by side); image ${(size / MB).toFixed(1)} MB ` +
        `= stand-in base ${(base.sizeBytes / MB).toFixed(1)} MB + ${((size - base.sizeBytes) / MB).toFixed(1)} MB`,
    );
  }

  function start(image: string, env: Record<string, string>): RunningContainer {
    const container = RunningContainer.start(image, env);
    containers.push(container);
    return container;
  }

  async function ready(container: RunningContainer, port: number): Promise<void> {
    await waitFor(
      async () => {
        if (!container.running) throw new Error(`the container exited: ${container.output}`);
        return (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `/ready of ${container.name} on port ${port}` },
    );
  }

  beforeAll(async () => {
    requireContainerTools();
    await removeStaleTestImages();
    const bases = new Set<string>();
    for (const app of Object.keys(APPS) as App[]) bases.add(await standinBaseImage(dockerfileOf(app)));
    // Both Dockerfiles build FROM the same pinned node image, which the stand-in is tagged as.
    expect([...bases]).toEqual([`docker.io/library/node:${nodeVersion()}-alpine`]);
    base = await inspectImage([...bases][0]!);
    // Side by side: one build's npm ci waits on the network while the other copies layers.
    await Promise.all((Object.keys(APPS) as App[]).map(build));
    redis = await RedisServer.start();
    // As the chart runs Valkey: a password, which the containers get as REDIS_PASSWORD (a Secret).
    const admin = redis.client();
    await admin.config('SET', 'requirepass', REDIS_PASSWORD);
    admin.disconnect();
  }, 900_000);

  afterAll(async () => {
    for (const container of containers) await container.remove();
    for (const image of built) await removeImage(image);
    await redis?.kill();
  }, 120_000);

  describe('cache-api', () => {
    let api: RunningContainer;
    let port: number;
    const image = () => images['cache-api'].image;
    const facts = () => images['cache-api'].facts;

    beforeAll(async () => {
      port = await freePort();
    });

    it('is a Docker-format image that runs node dist/main.js as 1000:1000 and keeps its HEALTHCHECK', () => {
      expect(facts().user).toBe('1000:1000');
      expect(facts().cmd).toEqual(['node', 'dist/main.js']);
      expect(facts().healthcheck[0]).toBe('CMD');
      expect(facts().env).toContain('NODE_ENV=production');
      // The pruned production dependencies only: nx, typescript or jest would add hundreds of MB.
      expect(facts().sizeBytes - base.sizeBytes).toBeLessThan(40 * MB);
    });

    it('runs as uid 1000 on a read-only root and answers /ready and a /data/:id read against a real Redis', async () => {
      const anonymous = redis!.client();
      anonymous.on('error', () => undefined);
      await expect(anonymous.get('k')).rejects.toThrow(/NOAUTH/); // the server requires the password
      anonymous.disconnect();
      api = start(image(), {
        PORT: String(port),
        REDIS_URL: redis!.url,
        REDIS_PASSWORD,
        INSTANCE_ID: 'image-build-test',
      });
      await ready(api, port);

      const first = await fetch(`http://127.0.0.1:${port}/data/image-build`);
      expect(first.status).toBe(200);
      expect(first.headers.get('x-cache-status')).toBe('MISS');
      const second = await fetch(`http://127.0.0.1:${port}/data/image-build`);
      expect(second.headers.get('x-cache-status')).toBe('HIT');
      expect(await second.json()).toEqual(await first.json());

      const probe = await api.exec([
        'node',
        '-e',
        `const fs = require('fs');
         let root = 'writable';
         try { fs.writeFileSync('/app/probe', ''); } catch (error) { root = error.code; }
         fs.writeFileSync('/tmp/probe', '');
         console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), root, app: fs.readdirSync('/app').sort() }));`,
      ]);
      expect(probe.code).toBe(0);
      expect(JSON.parse(probe.output)).toEqual({
        uid: 1000,
        gid: 1000,
        root: 'EROFS',
        app: ['dist', 'node_modules', 'package.json', 'workspace_modules'],
      });

      // The image's own HEALTHCHECK command, run where Docker would run it.
      const health = await api.exec(facts().healthcheck.slice(1));
      expect(health).toEqual({ code: 0, output: '' });
    });

    it('exits 0 on SIGTERM, as Kubernetes stops a pod', async () => {
      expect(api).toBeDefined();
      expect(await api.stop()).toBe(0);
    });
  });

  describe('rtb', () => {
    const image = () => images.rtb.image;
    const facts = () => images.rtb.facts;

    it('is a Docker-format image that runs node dist/main.js as 1000:1000 and keeps its HEALTHCHECK', () => {
      expect(facts().user).toBe('1000:1000');
      expect(facts().cmd).toEqual(['node', 'dist/main.js']);
      expect(facts().healthcheck[0]).toBe('CMD');
      expect(facts().sizeBytes - base.sizeBytes).toBeLessThan(40 * MB);
    });

    it('runs the api and aggregator roles as the chart does: a tag posted to the api is aggregated, and both exit 0 on SIGTERM', async () => {
      const [apiPort, aggregatorPort] = [await freePort(), await freePort()];
      const env = { REDIS_URL: redis!.url, REDIS_PASSWORD };
      const api = start(image(), {
        ...env,
        RTB_ROLE: 'api',
        PORT: String(apiPort),
        INSTANCE_ID: 'image-api',
      });
      const aggregator = start(image(), {
        ...env,
        RTB_ROLE: 'aggregator',
        PORT: String(aggregatorPort),
        INSTANCE_ID: 'image-aggregator',
      });
      await ready(api, apiPort);
      await ready(aggregator, aggregatorPort);

      await tagRoundTrip(`http://127.0.0.1:${apiPort}`, 'image-build', 30_000);

      expect(await api.stop()).toBe(0);
      expect(await aggregator.stop()).toBe(0);
    });
  });
});

/** The Dockerfiles' pinned Node version (`ARG NODE_VERSION=`), which the stand-in's tag carries. */
function nodeVersion(): string {
  return /^ARG NODE_VERSION=(\S+)$/m.exec(readFileSync(dockerfileOf('cache-api'), 'utf8'))![1]!;
}
