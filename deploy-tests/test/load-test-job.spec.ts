import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src';

const runFile = promisify(execFile);
const MODULE = join(REPO_ROOT, 'scripts', 'lib', 'load-job.mjs');
const STANDIN = join(__dirname, 'kube-cli-standin.mjs');

interface Pod {
  metadata: { name: string };
  status: {
    phase?: string;
    containerStatuses?: { state: { waiting?: { reason: string; message?: string } } }[];
  };
}
interface Case {
  job: { status: Record<string, unknown> };
  pods: Pod[];
  followed: string[];
}

/** jobProgress for each case, in one Node process (the module is plain ESM). */
async function progress(cases: Case[]): Promise<Record<string, string>[]> {
  const code =
    `import(${JSON.stringify(MODULE)}).then((m) => process.stdout.write(JSON.stringify(` +
    `${JSON.stringify(cases)}.map((c) => m.jobProgress(c.job, c.pods, new Set(c.followed))))))`;
  const { stdout } = await runFile(process.execPath, ['-e', code]);
  return JSON.parse(stdout) as Record<string, string>[];
}

const job = (status: Record<string, unknown> = {}) => ({ status });
const pod = (name: string, phase: string, waiting?: { reason: string; message?: string }): Pod => ({
  metadata: { name },
  status: { phase, ...(waiting ? { containerStatuses: [{ state: { waiting } }] } : {}) },
});
const condition = (type: string, extra: Record<string, string> = {}) => ({
  conditions: [{ type, status: 'True', ...extra }],
});

describe('scripts/lib/load-job.mjs decides from what the cluster says, not from one early read', () => {
  it('waits while the Job has no pod yet (right after kubectl create)', async () => {
    expect(await progress([{ job: job(), pods: [], followed: [] }])).toEqual([
      { kind: 'wait', what: 'the Job has no pod yet' },
    ]);
  });

  it('waits for a pending pod, then follows it once it runs (or has already finished)', async () => {
    const results = await progress([
      {
        job: job({ active: 1 }),
        pods: [pod('p1', 'Pending', { reason: 'ContainerCreating' })],
        followed: [],
      },
      { job: job({ active: 1 }), pods: [pod('p1', 'Running')], followed: [] },
      { job: job(), pods: [pod('p1', 'Succeeded')], followed: [] },
    ]);
    expect(results).toEqual([
      { kind: 'wait', what: 'pod p1 is Pending' },
      { kind: 'follow', pod: 'p1' },
      { kind: 'follow', pod: 'p1' },
    ]);
  });

  it('waits after k6 has finished while the Job has not recorded the result (status.succeeded empty)', async () => {
    const results = await progress([
      { job: job(), pods: [pod('p1', 'Succeeded')], followed: ['p1'] },
      { job: job({ succeeded: 1 }), pods: [pod('p1', 'Succeeded')], followed: ['p1'] },
      // The controller marks a failure as targeted before it has stopped the pods.
      { job: job(condition('FailureTarget')), pods: [pod('p1', 'Failed')], followed: ['p1'] },
    ]);
    for (const result of results)
      expect(result).toEqual({
        kind: 'wait',
        what: 'k6 has finished; the Job has not recorded the result yet',
      });
  });

  it("takes the verdict from the Job's Complete or Failed condition only", async () => {
    const results = await progress([
      {
        job: job({ succeeded: 1, ...condition('Complete') }),
        pods: [pod('p1', 'Succeeded')],
        followed: ['p1'],
      },
      {
        job: job(
          condition('Failed', { reason: 'PodFailurePolicy', message: 'exit code 99 matching FailJob rule' }),
        ),
        pods: [pod('p1', 'Failed')],
        followed: ['p1'],
      },
      { job: job(condition('Failed', { reason: 'BackoffLimitExceeded' })), pods: [], followed: [] },
      { job: job({ conditions: [{ type: 'Complete', status: 'False' }] }), pods: [], followed: [] },
    ]);
    expect(results).toEqual([
      { kind: 'passed' },
      { kind: 'failed', reason: 'PodFailurePolicy: exit code 99 matching FailJob rule' },
      { kind: 'failed', reason: 'BackoffLimitExceeded' },
      { kind: 'wait', what: 'the Job has no pod yet' },
    ]);
  });

  it('follows the pod that replaces an evicted one', async () => {
    const results = await progress([
      { job: job({ active: 1 }), pods: [pod('p1', 'Failed'), pod('p2', 'Pending')], followed: ['p1'] },
      { job: job({ active: 1 }), pods: [pod('p1', 'Failed'), pod('p2', 'Running')], followed: ['p1'] },
    ]);
    expect(results).toEqual([
      { kind: 'wait', what: 'pod p2 is Pending' },
      { kind: 'follow', pod: 'p2' },
    ]);
  });

  it('says what to do when the pod cannot start instead of waiting for ever', async () => {
    const [stuck] = await progress([
      {
        job: job({ active: 1 }),
        pods: [
          pod('p1', 'Pending', {
            reason: 'ErrImageNeverPull',
            message: 'image "grafana/k6:1.3.0" is not present',
          }),
        ],
        followed: [],
      },
    ]);
    expect(stuck).toEqual({
      kind: 'stuck',
      pod: 'p1',
      reason: 'ErrImageNeverPull: image "grafana/k6:1.3.0" is not present',
      hint: expect.stringContaining('pullPolicy is Never'),
    });
  });
});

/**
 * The whole script against a stand-in kubectl and helm on PATH (kube-cli-standin.mjs: no cluster
 * can run here, so it replays a Job's life from a state file): the pod is absent for the first
 * polls, and the Job's status is empty for the first polls after the logs end.
 */
describe('scripts/load-test.mjs with the timing of a real cluster', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'clustache-load-test-'));
    for (const tool of ['kubectl', 'helm'])
      writeFileSync(join(bin, tool), `#!/bin/sh\nexec "${process.execPath}" "${STANDIN}" ${tool} "$@"\n`, {
        mode: 0o755,
      });
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  async function loadTest(outcome: 'pass' | 'fail', stateName: string) {
    const state = join(bin, stateName);
    const env = {
      PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: bin,
      STANDIN_STATE: state,
      STANDIN_OUTCOME: outcome,
    };
    try {
      const { stdout, stderr } = await runFile(
        process.execPath,
        [join(REPO_ROOT, 'scripts', 'load-test.mjs'), '--profile', 'smoke'],
        { cwd: REPO_ROOT, env, timeout: 60_000 },
      );
      return { code: 0, stdout, stderr, calls: callsIn(state) };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr, calls: callsIn(state) };
    }
  }
  const callsIn = (state: string) => (JSON.parse(readFileSync(state, 'utf8')) as { calls: string[] }).calls;

  it('reports a passing run as passed', async () => {
    const result = await loadTest('pass', 'pass.json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('k6 "smoke" runs as job/clustache-loadtest-smoke');
    expect(result.stdout).toContain('job/clustache-loadtest-smoke: the Job has no pod yet');
    expect(result.stdout).toContain('✓ checks');
    expect(result.stdout).toContain('k6 has finished; the Job has not recorded the result yet');
    expect(result.stdout).toContain('k6 "smoke" passed its thresholds.');
    // It waited for the pod (absent twice, pending once) and for the recorded result.
    expect(result.calls.filter((call) => call.startsWith('kubectl get pods')).length).toBeGreaterThanOrEqual(
      4,
    );
    expect(result.calls.some((call) => call.startsWith('kubectl wait'))).toBe(false);
  }, 90_000);

  it("reports a failing run as failed, with the Job's reason", async () => {
    const result = await loadTest('fail', 'fail.json');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("✗ 'rate<0.01' http_req_failed");
    expect(result.stderr).toContain(
      'load-test: k6 "smoke" did not pass (PodFailurePolicy: Container k6 for pod clustache/clustache-loadtest-smoke-x7k2p failed with exit code 99 matching FailJob rule at index 0)',
    );
    expect(result.stderr).toContain('kubectl --namespace clustache describe job clustache-loadtest-smoke');
  }, 90_000);
});
