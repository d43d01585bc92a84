import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@clustache/testing';
import { helmBinary, REPO_ROOT } from '../src';

const runFile = promisify(execFile);

interface Task {
  label: string;
  command: string;
  args: string[];
}
const tasksFile = JSON.parse(readFileSync(join(REPO_ROOT, '.vscode', 'tasks.json'), 'utf8')) as {
  tasks: Task[];
  inputs?: { id: string; options?: string[] }[];
};

const REQUIRED = [
  'Clustache: Build image',
  'Clustache: Ship chart',
  'Clustache: Port-forward Grafana',
  'Clustache: Port-forward Prometheus',
  'Clustache: Port-forward Alertmanager',
  'Clustache: Open notifications',
  'Clustache: Run load test',
  'Clustache: Uninstall',
];

/** A task's script and arguments with ${workspaceFolder} and ${input:...} resolved. */
function resolveTask(task: Task): { script: string; args: string[] } {
  const resolve = (arg: string) =>
    arg.replace('${workspaceFolder}', REPO_ROOT).replace(/\$\{input:([\w-]+)\}/, (_, id: string) => {
      const input = tasksFile.inputs?.find((candidate) => candidate.id === id);
      if (!input?.options?.length)
        throw new Error(`task "${task.label}" uses \${input:${id}}, which tasks.json does not define`);
      return input.options[0]!;
    });
  const [script, ...args] = task.args.map(resolve);
  return { script: script!, args };
}

async function node(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await runFile(process.execPath, [script, ...args], {
      cwd: REPO_ROOT,
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('.vscode/tasks.json', () => {
  it('has the Clustache tasks, each running a script with node', () => {
    const labels = tasksFile.tasks.map((task) => task.label);
    expect(labels).toEqual(expect.arrayContaining(REQUIRED));
    for (const task of tasksFile.tasks) {
      expect(task.command).toBe('node');
      expect(task.args[0]).toMatch(/^\$\{workspaceFolder\}\/scripts\/[\w-]+\.mjs$/);
    }
  });

  it.each(tasksFile.tasks.map((task) => [task.label, task] as const))(
    '"%s": its script exists and explains itself with --help',
    async (_label, task) => {
      const { script, args } = resolveTask(task);
      expect(existsSync(script)).toBe(true);
      const result = await node(script, [...args, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: node scripts\/[\w-]+\.mjs/);
    },
  );

  it("forwards every port-forward task to its own local port, none of them one of npm start's", async () => {
    const help = await node(join(REPO_ROOT, 'scripts', 'port-forward.mjs'), ['--help']);
    const forwarded = [...help.stdout.matchAll(/^ {2}(\w+)\s+http:\/\/localhost:(\d+)/gm)].map((m) => ({
      target: m[1]!,
      port: Number(m[2]),
    }));
    expect(forwarded.map((f) => f.target)).toEqual([
      'grafana',
      'prometheus',
      'alertmanager',
      'api',
      'notifications',
    ]);
    expect(new Set(forwarded.map((f) => f.port)).size).toBe(forwarded.length);
    const platformDefaults = [
      ...readFileSync(join(REPO_ROOT, 'platform', 'src', 'options.ts'), 'utf8').matchAll(
        /--[\w-]+-port PORT .*\(default (\d+)\)/g,
      ),
    ].map((m) => Number(m[1]));
    expect(platformDefaults.length).toBeGreaterThanOrEqual(4);
    for (const { target, port } of forwarded)
      expect({ target, collides: platformDefaults.includes(port) }).toEqual({ target, collides: false });
    for (const task of tasksFile.tasks.filter((t) => t.args.some((a) => a.endsWith('port-forward.mjs')))) {
      const target = forwarded.find((f) => f.target === resolveTask(task).args[0])!;
      expect(task).toMatchObject({ detail: expect.stringContaining(`http://localhost:${target.port}`) });
    }
  });

  describe('without VS Code, the scripts fail with a clear message', () => {
    let bin: string;
    beforeAll(() => {
      bin = mkdtempSync(join(tmpdir(), 'clustache-path-'));
      symlinkSync(process.execPath, join(bin, 'node'));
    });
    afterAll(() => rmSync(bin, { recursive: true, force: true }));

    it.each([
      ['build-image.mjs', 'docker'],
      ['ship-chart.mjs', 'kubectl'],
      ['port-forward.mjs grafana', 'kubectl'],
      ['load-test.mjs', 'kubectl'],
      ['uninstall.mjs', 'kubectl'],
    ])('%s names the missing %s', async (command, tool) => {
      const [script, ...args] = command.split(' ');
      const result = await node(join(REPO_ROOT, 'scripts', script!), args, { PATH: bin, HOME: bin });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`"${tool}" was not found on PATH`);
    });

    it('names the missing helm once kubectl is there', async () => {
      const withKubectl = mkdtempSync(join(tmpdir(), 'clustache-path-'));
      try {
        symlinkSync(process.execPath, join(withKubectl, 'node'));
        writeFileSync(join(withKubectl, 'kubectl'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
        const result = await node(join(REPO_ROOT, 'scripts', 'ship-chart.mjs'), [], {
          PATH: withKubectl,
          HOME: withKubectl,
        });
        if (existsSync(join(REPO_ROOT, '.helm', 'bin', 'helm'))) {
          // The project's own helm is found instead; the next check is the cluster.
          expect(result.stderr).toMatch(/cluster|context/);
        } else {
          expect(result.stderr).toContain('"helm" was not found on PATH');
        }
        expect(result.code).toBe(1);
      } finally {
        rmSync(withKubectl, { recursive: true, force: true });
      }
    });

    it('says no cluster is reachable when the kubectl context points nowhere (real kubectl)', async () => {
      helmBinary(); // installs .helm/bin/helm and .helm/bin/kubectl where missing
      const port = await freePort();
      const kubeconfig = join(bin, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters: [{name: docker-desktop, cluster: {server: "https://127.0.0.1:' +
            port +
            '", insecure-skip-tls-verify: true}}]',
          'users: [{name: docker-desktop, user: {token: test}}]',
          'contexts: [{name: docker-desktop, context: {cluster: docker-desktop, user: docker-desktop}}]',
          'current-context: docker-desktop',
          '',
        ].join('\n'),
      );
      const env = { PATH: `${bin}:${join(REPO_ROOT, '.helm', 'bin')}`, HOME: bin, KUBECONFIG: kubeconfig };
      for (const [script, ...args] of [
        ['ship-chart.mjs'],
        ['port-forward.mjs', 'prometheus'],
        ['load-test.mjs'],
        ['uninstall.mjs'],
      ]) {
        const result = await node(join(REPO_ROOT, 'scripts', script!), args, env);
        expect({ script, code: result.code }).toEqual({ script, code: 1 });
        expect(result.stderr).toContain(
          'no Kubernetes cluster is reachable through kubectl context "docker-desktop"',
        );
      }
    });

    it('says the Docker engine is not running when only the docker CLI is there', async () => {
      const withDocker = mkdtempSync(join(tmpdir(), 'clustache-path-'));
      try {
        symlinkSync(process.execPath, join(withDocker, 'node'));
        // A docker CLI whose engine cannot be reached, as when Docker Desktop is not started.
        writeFileSync(
          join(withDocker, 'docker'),
          '#!/bin/sh\necho "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2\nexit 1\n',
          { mode: 0o755 },
        );
        const result = await node(join(REPO_ROOT, 'scripts', 'build-image.mjs'), [], {
          PATH: withDocker,
          HOME: withDocker,
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
          'the Docker engine is not reachable (Cannot connect to the Docker daemon',
        );
        expect(result.stderr).toContain('Start Docker Desktop');
      } finally {
        rmSync(withDocker, { recursive: true, force: true });
      }
    });

    it('refuses a bad argument before touching any tool', async () => {
      const profile = await node(join(REPO_ROOT, 'scripts', 'load-test.mjs'), ['--profile', 'stress'], {
        PATH: bin,
      });
      expect(profile.stderr).toContain('--profile must be one of smoke, steady, spike, soak; got stress');
      const target = await node(join(REPO_ROOT, 'scripts', 'port-forward.mjs'), ['kibana'], { PATH: bin });
      expect(target.stderr).toContain('name one of grafana, prometheus, alertmanager, api');
      const unknown = await node(join(REPO_ROOT, 'scripts', 'ship-chart.mjs'), ['--force'], { PATH: bin });
      expect(unknown.stderr).toContain('unknown option --force');
    });
  });
});
