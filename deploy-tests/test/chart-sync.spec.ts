import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src';

const run = promisify(execFile);
const SYNC = join(REPO_ROOT, 'tools', 'sync-chart.mjs');

async function sync(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SYNC, ...args]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

describe("tools/sync-chart.mjs keeps the chart's copies honest", () => {
  it('finds no drift between the repository and charts/clustache/files', async () => {
    const result = await sync(['--check']);
    expect(result.output).toContain('matches its sources');
    expect(result.code).toBe(0);
  });

  describe('on a scratch repository', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'clustache-sync-'));
      for (const dir of ['dashboards', 'alerting/rules', 'alerting/alertmanager', 'loadtest'])
        mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, 'dashboards', 'overview.json'), '{"title": "Overview"}\n');
      writeFileSync(join(root, 'dashboards', 'project.json'), '{"name": "dashboards"}\n');
      writeFileSync(join(root, 'alerting', 'rules', 'clustache.rules.yml'), 'groups: []\n');
      writeFileSync(join(root, 'alerting', 'rules', 'clustache.rules.test.yml'), 'tests: []\n');
      writeFileSync(join(root, 'alerting', 'alertmanager', 'alertmanager.yml'), 'route: {}\n');
      writeFileSync(join(root, 'loadtest', 'smoke.ts'), 'export {};\n');
      writeFileSync(join(root, 'loadtest', 'keys.spec.ts'), 'test;\n');
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const files = (...path: string[]) => join(root, 'charts', 'clustache', 'files', ...path);

    it('copies each source byte for byte, leaving out project configs and tests', async () => {
      expect((await sync(['--check', '--root', root])).code).toBe(1);
      expect((await sync(['--root', root])).code).toBe(0);
      expect(readFileSync(files('dashboards', 'overview.json'), 'utf8')).toBe('{"title": "Overview"}\n');
      expect(readFileSync(files('rules', 'clustache.rules.yml'), 'utf8')).toBe('groups: []\n');
      expect(readFileSync(files('alertmanager', 'alertmanager.yml'), 'utf8')).toBe('route: {}\n');
      expect(readFileSync(files('loadtest', 'smoke.ts'), 'utf8')).toBe('export {};\n');
      expect(existsSync(files('dashboards', 'project.json'))).toBe(false);
      expect(existsSync(files('rules', 'clustache.rules.test.yml'))).toBe(false);
      expect(existsSync(files('loadtest', 'keys.spec.ts'))).toBe(false);
      expect((await sync(['--check', '--root', root])).code).toBe(0);
    });

    it('reports an edited source, an edited copy and a copy whose source is gone, then fixes them', async () => {
      await sync(['--root', root]);
      writeFileSync(join(root, 'dashboards', 'overview.json'), '{"title": "Overview 2"}\n');
      writeFileSync(files('loadtest', 'smoke.ts'), 'edited by hand\n');
      rmSync(join(root, 'alerting', 'alertmanager', 'alertmanager.yml'));

      const check = await sync(['--check', '--root', root]);
      expect(check.code).toBe(1);
      expect(check.output).toContain(
        'charts/clustache/files/dashboards/overview.json: differs from dashboards/overview.json',
      );
      expect(check.output).toContain(
        'charts/clustache/files/loadtest/smoke.ts: differs from loadtest/smoke.ts',
      );
      expect(check.output).toContain(
        'charts/clustache/files/alertmanager/alertmanager.yml: its source is gone',
      );

      await sync(['--root', root]);
      expect((await sync(['--check', '--root', root])).code).toBe(0);
      expect(readFileSync(files('loadtest', 'smoke.ts'), 'utf8')).toBe('export {};\n');
      expect(existsSync(files('alertmanager', 'alertmanager.yml'))).toBe(false);
    });

    it("copies what the k6 scripts import from libs/traffic-mix, but not the library's index", async () => {
      mkdirSync(join(root, 'libs', 'traffic-mix', 'src'), { recursive: true });
      writeFileSync(join(root, 'libs', 'traffic-mix', 'src', 'zipf-keys.ts'), 'export class ZipfKeys {}\n');
      writeFileSync(join(root, 'libs', 'traffic-mix', 'src', 'index.ts'), "export * from './zipf-keys';\n");
      const check = await sync(['--check', '--root', root]);
      expect(check.output).toContain(
        'charts/clustache/files/traffic-mix/zipf-keys.ts: missing (source libs/traffic-mix/src/zipf-keys.ts)',
      );
      await sync(['--root', root]);
      expect(readFileSync(files('traffic-mix', 'zipf-keys.ts'), 'utf8')).toBe('export class ZipfKeys {}\n');
      expect(existsSync(files('traffic-mix', 'index.ts'))).toBe(false);
      expect((await sync(['--check', '--root', root])).code).toBe(0);
    });
  });
});
