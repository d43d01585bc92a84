#!/usr/bin/env node
/**
 * Makes sure the Debian packages the tests run as real processes are installed, before any test
 * starts (npm test and .ci/run call it). The list is tools/system-packages.json; `npm start`
 * checks the same list. When a package is missing and this runs as root with apt-get, it installs
 * them (their services are kept from starting: the tests start their own); otherwise it stops
 * with one message naming the packages and the command that installs them.
 *
 *   node tools/system-packages.mjs ensure     install what is missing, or explain and exit 1
 *   node tools/system-packages.mjs check      only say what is missing (exit 1 if anything)
 *
 * CLUSTACHE_NO_INSTALL=1 turns `ensure` into `check`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIST = join(dirname(fileURLToPath(import.meta.url)), 'system-packages.json');
const { packages } = JSON.parse(readFileSync(LIST, 'utf8'));

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** The packages one of whose binaries is on PATH under none of its names. */
function missingPackages() {
  return packages.filter((entry) => entry.binaries.some((names) => !names.some(onPath)));
}

function explain(missing) {
  const names = missing.map((entry) => entry.package);
  console.error(
    `The tests need these Debian packages, which are not installed:\n` +
      missing.map((entry) => `  ${entry.package.padEnd(28)} ${entry.for}`).join('\n') +
      `\nInstall them with:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names.join(' ')}\n` +
      `then run npm test again.`,
  );
}

function install(missing) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // policy-rc.d keeps the packages' services from starting on install: the tests start their own.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const names = missing.map((entry) => entry.package);
    console.log(`system-packages: apt-get install ${names.join(' ')}`);
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', '--no-install-recommends', ...names],
    ]) {
      const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
      if (result.status !== 0) return false;
    }
    return true;
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

const mode = process.argv[2] ?? 'ensure';
if (!['ensure', 'check'].includes(mode)) {
  console.error('Usage: node tools/system-packages.mjs ensure|check');
  process.exit(2);
}
const missing = missingPackages();
if (missing.length === 0) process.exit(0);
const canInstall =
  mode === 'ensure' &&
  process.env.CLUSTACHE_NO_INSTALL !== '1' &&
  process.getuid?.() === 0 &&
  onPath('apt-get');
if (canInstall && install(missing) && missingPackages().length === 0) process.exit(0);
explain(missingPackages());
process.exit(1);
