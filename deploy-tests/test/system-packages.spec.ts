import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src';

const TOOL = join(REPO_ROOT, 'tools', 'system-packages.mjs');
const LIST = JSON.parse(readFileSync(join(REPO_ROOT, 'tools', 'system-packages.json'), 'utf8')) as {
  packages: { package: string }[];
};

async function run(env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, [TOOL, 'ensure'], { env });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
}

/**
 * The front door: `npm test` first makes sure the Debian packages its tests run are installed,
 * from the one list that .ci/run and `npm start` use too.
 */
describe('tools/system-packages.mjs (the first step of npm test)', () => {
  it('passes quietly when every package is installed (this machine)', async () => {
    expect(await run(process.env)).toEqual({ code: 0, stderr: '' });
  });

  it('on a machine with only Node, stops before any test with one message naming each package and the command', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'clustache-bare-'));
    try {
      symlinkSync(process.execPath, join(bare, 'node'));
      // CLUSTACHE_NO_INSTALL: what a machine where we may not install sees (not root, no apt-get).
      const result = await run({ PATH: bare, CLUSTACHE_NO_INSTALL: '1' });
      expect(result.code).toBe(1);
      const names = LIST.packages.map((entry) => entry.package);
      for (const name of names) expect(result.stderr).toContain(`  ${name} `);
      expect(result.stderr).toContain(`sudo apt-get install -y --no-install-recommends ${names.join(' ')}`);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('is the step npm test and .ci/run take, with no package list of their own', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts['test']).toMatch(/^node tools\/system-packages\.mjs ensure && /);
    const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toContain('node tools/system-packages.mjs ensure');
    for (const { package: name } of LIST.packages) expect(ci).not.toContain(`]=${name}`);
  });
});
