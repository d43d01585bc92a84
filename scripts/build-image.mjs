#!/usr/bin/env node
// VS Code task "Clustache: Build image".
import { main, npx, requireCommand, requireDockerEngine, run } from './lib/cli.mjs';

/** The images the chart deploys: Nx project → image repository (each app's `image` target). */
const IMAGES = {
  '@clustache/cache-api': 'clustache/cache-api',
  '@clustache/rtb': 'clustache/rtb',
};

const USAGE = `Usage: node scripts/build-image.mjs [--tag TAG]

Builds the chart's images with Nx (build, prune to production dependencies, docker build):
${Object.values(IMAGES)
  .map((image) => `  ${image}:local and ${image}:TAG`)
  .join('\n')}
The :local tags are what values-local.yaml deploys.

  --tag TAG   the versioned tag (default: 0.1.0, the chart's appVersion)

Needs docker with a running engine (Docker Desktop). Next: node scripts/ship-chart.mjs`;

main('build-image', USAGE, { tag: 'string' }, ({ options }) => {
  const docker = requireCommand('docker');
  requireDockerEngine(docker);
  const tag = options.tag ?? '0.1.0';
  run(npx(), [
    'nx',
    'run-many',
    '--targets=image',
    `--projects=${Object.keys(IMAGES).join(',')}`,
    // One docker build at a time: parallel builds fight over the engine and interleave output.
    '--parallel=1',
    `--tag=${tag}`,
    '--outputStyle=stream',
  ]);
  const built = Object.values(IMAGES).flatMap((image) => [`${image}:${tag}`, `${image}:local`]);
  console.log(`\nBuilt ${built.join(', ')}. Next: "Clustache: Ship chart" (node scripts/ship-chart.mjs).`);
});
