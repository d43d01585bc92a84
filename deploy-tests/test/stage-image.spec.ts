import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src';

const STAGE = join(REPO_ROOT, 'tools', 'stage-image.mjs');
const run = promisify(execFile);

/** Writes `files` (path → content) under `root`. */
async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/**
 * `tsc --build` never cleans dist/: a module deleted since the last build stays there. The image
 * context must not ship it (rtb's old Redis wrapper still required the cache engine).
 */
describe('tools/stage-image.mjs', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'clustache-stage-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("leaves out an app's compiled files whose source is gone, and what does not run", async () => {
    const app = join(dir, 'app');
    await tree(app, {
      'package.json': '{"name":"app"}',
      Dockerfile: 'FROM scratch',
      '.dockerignore': '*',
      'src/main.ts': '',
      'src/store/keys.ts': '',
      'dist/main.js': '',
      'dist/main.d.ts': '',
      'dist/store/keys.js': '',
      'dist/store/keys.js.map': '',
      'dist/store/old-wrapper.js': "require('@clustache/cache')",
    });
    const out = join(dir, 'out');
    await run(process.execPath, [STAGE, 'prepare', app, out]);
    expect((await readdir(join(out, 'dist'), { recursive: true })).sort()).toEqual([
      'main.js',
      'store',
      'store/keys.js',
    ]);
  });

  it("leaves out a workspace module's stale outputs, then keeps only package.json and dist/", async () => {
    const out = join(dir, 'out');
    const lib = join(out, 'workspace_modules/@clustache/lib');
    await tree(lib, {
      'package.json': '{"name":"@clustache/lib"}',
      'src/index.ts': '',
      'dist/index.js': '',
      'dist/index.d.ts': '',
      'dist/moved-away.js': '',
      'tsconfig.json': '{}',
    });
    await run(process.execPath, [STAGE, 'tidy', out]);
    expect((await readdir(lib, { recursive: true })).sort()).toEqual([
      'dist',
      'dist/index.js',
      'package.json',
    ]);
    expect(existsSync(join(lib, 'src'))).toBe(false);
  });
});
