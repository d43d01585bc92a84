import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { CHART_DIR, helm, helmBinary, REPO_ROOT, STANDINS_DIR } from '../src';

const runFile = promisify(execFile);
const MODULE = join(REPO_ROOT, 'scripts', 'lib', 'chart-dependencies.mjs');

/**
 * "Ship chart" fetches the chart's dependencies only when charts/ lacks them. Checked with the
 * real helm against a copy of the chart whose charts/ holds the stand-in subcharts packaged at
 * the pinned versions, and a Helm home with no repositories and no network: a second ship must
 * need neither.
 */
describe('scripts/lib/chart-dependencies.mjs (ship-chart)', () => {
  let root: string;
  let chartDir: string;
  let helmHome: Record<string, string>;
  const pinned = (
    parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as {
      dependencies: { name: string; version: string }[];
    }
  ).dependencies;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clustache-ship-'));
    chartDir = join(root, 'clustache');
    cpSync(CHART_DIR, chartDir, {
      recursive: true,
      filter: (src) => !src.startsWith(join(CHART_DIR, 'charts')),
    });
    mkdirSync(join(chartDir, 'charts'));
    for (const { name, version } of pinned) {
      const source = join(root, 'src', name);
      cpSync(join(STANDINS_DIR, name), source, { recursive: true });
      writeFileSync(join(source, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
      const packaged = await helm(['package', source, '--destination', join(chartDir, 'charts')]);
      expect(packaged.code).toBe(0);
    }
    helmHome = {
      HELM_REPOSITORY_CONFIG: join(root, 'helm', 'repositories.yaml'),
      HELM_REPOSITORY_CACHE: join(root, 'helm', 'cache'),
      HELM_CACHE_HOME: join(root, 'helm', 'cache'),
      HELM_CONFIG_HOME: join(root, 'helm', 'config'),
    };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function call(fn: string): Promise<unknown> {
    const code = `import(${JSON.stringify(MODULE)}).then(async (m) => { const out = await m.${fn}; process.stdout.write('\\n' + JSON.stringify(out ?? null)); })`;
    const { stdout } = await runFile(process.execPath, ['-e', code], {
      env: { ...process.env, ...helmHome, KUBECONFIG: '/dev/null' },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  }

  it('reads the pinned dependencies of Chart.yaml', async () => {
    expect(await call(`dependenciesOf(${JSON.stringify(CHART_DIR)})`)).toEqual(
      pinned.map((d) =>
        expect.objectContaining({
          name: d.name,
          version: d.version,
          repository: expect.stringMatching(/^https:\/\//),
        }),
      ),
    );
  });

  it('touches no repository when charts/ holds every pinned archive, and the chart renders from them', async () => {
    const fetched = await call(
      `ensureDependencies(${JSON.stringify(helmBinary())}, ${JSON.stringify(chartDir)})`,
    );
    expect(fetched).toEqual([]);
    expect(existsSync(helmHome.HELM_REPOSITORY_CONFIG!)).toBe(false); // no `helm repo add` ran
    expect(existsSync(join(chartDir, 'Chart.lock'))).toBe(false);
    const rendered = await helm(['template', 'clustache', chartDir, '--namespace', 'clustache']);
    expect(rendered.code).toBe(0);
  });

  it('names what is missing when an archive is absent or at another version', async () => {
    const [first] = pinned;
    rmSync(join(chartDir, 'charts', `${first!.name}-${first!.version}.tgz`));
    expect(await call(`missingDependencies(${JSON.stringify(chartDir)})`)).toEqual([
      expect.objectContaining({ name: first!.name, version: first!.version }),
    ]);
  });
});
