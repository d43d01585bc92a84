#!/usr/bin/env node
/**
 * Stages the Docker build context of an app: the pruned output that the image is made of.
 *
 *   prepare <app-root> <out>  empty <out>, copy the app's compiled dist/ (JavaScript only) and
 *                             its Dockerfile and .dockerignore into it
 *   tidy <out>                after Nx's prune-lockfile and copy-workspace-modules have added
 *                             package.json, package-lock.json and workspace_modules/, keep only
 *                             what runs (package.json and compiled JavaScript) of each module
 *
 * The result holds nothing but what the Dockerfile copies, so a test can install it alone and
 * start it exactly as the image would.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

const USAGE = `Usage: node tools/stage-image.mjs prepare <app-root> <out>
       node tools/stage-image.mjs tidy <out>`;

/** Files of a compiled dist/ that the running process needs. */
const runtimeFile = (path) =>
  !/\.(tsbuildinfo|d\.ts|d\.ts\.map|d\.cts|d\.mts|js\.map|cjs\.map|mjs\.map)$/.test(path);

/**
 * A compiled file whose source is gone: `tsc --build` never cleans dist/, so a module deleted or
 * moved since the last build stays there and would ship (and may require what the app no longer
 * depends on). `src` is the package's source folder, dist/ mirrors it.
 */
const staleOutput = (file, dist, src) =>
  file.endsWith('.js') && !existsSync(join(src, relative(dist, file)).replace(/\.js$/, '.ts'));

function prepare(appRoot, out) {
  const dist = join(appRoot, 'dist');
  if (!existsSync(join(dist, 'main.js'))) {
    const { name } = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8'));
    throw new Error(`${dist}/main.js is missing: build the app first (npx nx run ${name}:build)`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const src = join(appRoot, 'src');
  cpSync(dist, join(out, 'dist'), {
    recursive: true,
    filter: (file) => statSync(file).isDirectory() || (runtimeFile(file) && !staleOutput(file, dist, src)),
  });
  for (const file of ['Dockerfile', '.dockerignore']) cpSync(join(appRoot, file), join(out, file));
}

function tidy(out) {
  const modules = join(out, 'workspace_modules');
  if (!existsSync(modules)) return;
  for (const pkg of packageDirs(modules)) {
    const dist = join(pkg, 'dist');
    // Prune dist/ while the package's src/ is still there to tell stale outputs apart.
    if (existsSync(dist) && statSync(dist).isDirectory()) pruneTree(dist, dist, join(pkg, 'src'));
    for (const entry of readdirSync(pkg)) {
      if (entry !== 'package.json' && entry !== 'dist')
        rmSync(join(pkg, entry), { recursive: true, force: true });
    }
  }
}

/** Package folders under workspace_modules: `name/` or `@scope/name/`. */
function packageDirs(modules) {
  const dirs = [];
  for (const entry of readdirSync(modules)) {
    const path = join(modules, entry);
    if (entry.startsWith('@')) dirs.push(...readdirSync(path).map((name) => join(path, name)));
    else dirs.push(path);
  }
  return dirs;
}

/** Removes from `dir` (inside `dist`) what does not run, and outputs whose source in `src` is gone. */
function pruneTree(dir, dist, src) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) pruneTree(path, dist, src);
    else if (!runtimeFile(path) || (existsSync(src) && staleOutput(path, dist, src))) rmSync(path);
  }
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'prepare' && args.length === 2) prepare(resolve(args[0]), resolve(args[1]));
  else if (command === 'tidy' && args.length === 1) tidy(resolve(args[0]));
  else if (command === '--help' || command === '-h') console.log(USAGE);
  else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`${basename(process.argv[1])}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
