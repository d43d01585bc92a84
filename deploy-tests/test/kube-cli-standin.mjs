#!/usr/bin/env node
/**
 * A stand-in for `kubectl` and `helm` that replays one k6 Job's life with the timing a real
 * cluster has, for scripts/load-test.mjs's test. No cluster can run on this machine and this
 * wraps nothing real: it answers only the calls the script makes, from a state file, and fails
 * any other call. The timing it reproduces:
 * - the Job's pod does not exist for the first STANDIN_POD_ABSENT `get pods` calls after
 *   `create`, then is Pending once, then Running (`kubectl wait` on it fails while it is absent,
 *   "no matching resources found", as kubectl does);
 * - after the pod's logs have ended, the Job's status stays empty (no `succeeded`, no
 *   conditions) for STANDIN_UNRECORDED `get job` calls, then holds the verdict.
 * STANDIN_OUTCOME=pass or fail (exit code 99 under the FailJob rule); STANDIN_STATE is the file.
 * Usage: kube-cli-standin.mjs kubectl|helm ARGS...
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [tool, ...args] = process.argv.slice(2);
const file = process.env.STANDIN_STATE;
const state = existsSync(file)
  ? JSON.parse(readFileSync(file, 'utf8'))
  : { calls: [], created: false, podPolls: 0, logsDone: false, jobPollsAfterLogs: 0 };
state.calls.push(`${tool} ${args.join(' ')}`);
const save = () => writeFileSync(file, JSON.stringify(state));
const pass = process.env.STANDIN_OUTCOME !== 'fail';
const JOB = 'clustache-loadtest-smoke';
const POD = `${JOB}-x7k2p`;
const has = (...words) => words.every((word) => args.includes(word));

function answer(stdout, code = 0, stderr = '') {
  save();
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  process.exit(code);
}

function pod() {
  const absent = Number(process.env.STANDIN_POD_ABSENT ?? 2);
  if (!state.created || state.podPolls < absent) return undefined;
  if (state.podPolls === absent)
    return {
      phase: 'Pending',
      containerStatuses: [{ name: 'k6', state: { waiting: { reason: 'ContainerCreating' } } }],
    };
  if (!state.logsDone) return { phase: 'Running' };
  return { phase: pass ? 'Succeeded' : 'Failed' };
}

function jobStatus() {
  if (!state.logsDone) return { active: 1 };
  state.jobPollsAfterLogs += 1;
  if (state.jobPollsAfterLogs <= Number(process.env.STANDIN_UNRECORDED ?? 2)) return {};
  const condition = pass
    ? { type: 'Complete', status: 'True' }
    : {
        type: 'Failed',
        status: 'True',
        reason: 'PodFailurePolicy',
        message: `Container k6 for pod clustache/${POD} failed with exit code 99 matching FailJob rule at index 0`,
      };
  return pass ? { succeeded: 1, conditions: [condition] } : { failed: 1, conditions: [condition] };
}

if (tool === 'helm') {
  if (args[0] === 'status') answer('STATUS: deployed\n');
  if (args[0] === 'get' && args[1] === 'values') answer('{}\n');
  if (args[0] === 'template')
    answer(
      [
        'apiVersion: batch/v1',
        'kind: Job',
        'metadata:',
        `  name: ${JOB}`,
        'spec:',
        '  template:',
        '    spec:',
        '      volumes:',
        '        - name: scripts',
        '          configMap:',
        '            name: clustache-loadtest-scripts',
        '',
      ].join('\n'),
    );
} else if (tool === 'kubectl') {
  if (has('config', 'current-context')) answer('docker-desktop\n');
  if (has('get', '--raw', '/readyz')) answer('ok');
  if (has('get', 'configmap', 'clustache-loadtest-scripts')) answer('');
  if (args[0] === 'create') {
    state.created = true;
    answer(`job.batch/${JOB} created\n`);
  }
  if (args[0] === 'wait') {
    if (!pod()) answer('', 1, 'error: no matching resources found\n');
    answer(`pod/${POD} condition met\n`);
  }
  if (has('get', 'pods', `job-name=${JOB}`, 'json')) {
    const status = pod();
    state.podPolls += 1;
    answer(JSON.stringify({ items: status ? [{ metadata: { name: POD }, status }] : [] }));
  }
  if (has('get', 'job', JOB, 'json'))
    answer(JSON.stringify({ metadata: { name: JOB }, status: jobStatus() }));
  if (has('logs', '--follow', `pod/${POD}`) && pod()?.phase === 'Running') {
    state.logsDone = true;
    answer(pass ? '     ✓ checks......: 100.00%\n' : "     ✗ 'rate<0.01' http_req_failed\n");
  }
}
answer('', 2, `${tool} stand-in: no answer for: ${args.join(' ')}\n`);
