#!/usr/bin/env node
// VS Code task "Clustache: Build image".
import { main, npx, requireCommand, requireDockerEngine, run } from './lib/cli.mjs';

const USAGE = `Usage: node scripts/build-image.mjs [--tag TAG]

Builds the cache-api image with Nx (build, prune to production dependencies, docker build) and
tags it clustache/cache-api:local, which values-local.yaml deploys, and clustache/cache-api:TAG.

  --tag TAG   the versioned tag (default: 0.1.0, the chart's appVersion)

Needs docker with a running engine (Docker Desktop). Next: node scripts/ship-chart.mjs`;

main('build-image', USAGE, { tag: 'string' }, ({ options }) => {
  const docker = requireCommand('docker');
  requireDockerEngine(docker);
  const tag = options.tag ?? '0.1.0';
  run(npx(), ['nx', 'run', '@clustache/cache-api:image', `--tag=${tag}`, '--outputStyle=stream']);
  console.log(
    `\nBuilt clustache/cache-api:${tag} and clustache/cache-api:local. Next: "Clustache: Ship chart" (node scripts/ship-chart.mjs).`,
  );
});
