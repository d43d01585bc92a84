/**
 * How "Run load test" follows its k6 Job to a verdict. The Job's pod does not exist yet when
 * `kubectl create` returns, and the Job records its result (the Complete or Failed condition)
 * only a moment after the pod has finished. So the script never acts on one early read: it polls
 * the Job and its pods and lets `jobProgress` decide each time what the next step is. That
 * decision is pure, so it is tested without a cluster.
 */
import { spawnSync } from 'node:child_process';
import { UsageError, capture } from './cli.mjs';

/** Container waiting reasons that waiting will not resolve, with what to do about each. */
const STUCK = {
  ErrImageNeverPull:
    'the image is not in the cluster\'s image store and pullPolicy is Never: build it ("Clustache: Build image") or pull it into Docker Desktop',
  ErrImagePull: 'the image cannot be pulled: check loadtest.image and the network',
  ImagePullBackOff: 'the image cannot be pulled: check loadtest.image and the network',
  InvalidImageName: 'the image name is invalid: check loadtest.image',
  CreateContainerConfigError: 'a Secret or ConfigMap the pod needs is missing: ship the chart again',
};

/** The Job's condition of `type` when it is True. */
function condition(job, type) {
  return job?.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

/**
 * The next step, from the Job, its pods (as `kubectl get -o json` returns them) and the pods
 * whose logs were followed already:
 * - `passed` / `failed` (with `reason`): the Job's Complete or Failed condition, nothing earlier
 *   (`.status.succeeded` is empty until the controller has seen the pod finish);
 * - `follow` (`pod`): a pod has started, or finished, and its logs were not shown yet;
 * - `stuck` (`pod`, `reason`, `hint`): a pod waits for something waiting cannot bring;
 * - `wait` (`what`): nothing to do yet: no pod, a pending pod, or a result not yet recorded.
 */
export function jobProgress(job, pods, followed) {
  if (condition(job, 'Complete')) return { kind: 'passed' };
  const failed = condition(job, 'Failed');
  if (failed) return { kind: 'failed', reason: [failed.reason, failed.message].filter(Boolean).join(': ') };
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (followed.has(name)) continue;
    const phase = pod.status?.phase;
    if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed')
      return { kind: 'follow', pod: name };
    const waiting = (pod.status?.containerStatuses ?? [])
      .map((status) => status.state?.waiting)
      .find((state) => state && STUCK[state.reason]);
    if (waiting)
      return {
        kind: 'stuck',
        pod: name,
        reason: [waiting.reason, waiting.message].filter(Boolean).join(': '),
        hint: STUCK[waiting.reason],
      };
  }
  if (pods.length === 0) return { kind: 'wait', what: 'the Job has no pod yet' };
  const pending = pods.find((pod) => !followed.has(pod.metadata.name));
  if (pending)
    return {
      kind: 'wait',
      what: `pod ${pending.metadata.name} is ${pending.status?.phase ?? 'being created'}`,
    };
  return { kind: 'wait', what: 'k6 has finished; the Job has not recorded the result yet' };
}

/** Blocks the (synchronous) script for `ms` milliseconds. */
function pause(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Follows `job` until it has a verdict: shows each of its pods' logs as the pod starts (a pod
 * replaced after an eviction too), and returns `{ kind: 'passed' }` or `{ kind: 'failed', reason }`.
 * Throws a UsageError when a pod is stuck, or when nothing changes for `idleMs`.
 */
export function followJob(kubectl, { namespace, job, pollMs = 1000, idleMs = 300_000, log = console.log }) {
  const followed = new Set();
  let lastChange = Date.now();
  let said = '';
  for (;;) {
    const state = JSON.parse(
      capture(kubectl, ['get', 'job', job, '--namespace', namespace, '--output', 'json']),
    );
    const pods = JSON.parse(
      capture(kubectl, [
        'get',
        'pods',
        '--namespace',
        namespace,
        '--selector',
        `job-name=${job}`,
        '--output',
        'json',
      ]),
    ).items;
    const step = jobProgress(state, pods, followed);
    if (step.kind === 'passed' || step.kind === 'failed') return step;
    if (step.kind === 'stuck')
      throw new UsageError(
        `pod ${step.pod} cannot start (${step.reason}): ${step.hint}. Then: kubectl --namespace ${namespace} delete job ${job}`,
      );
    if (step.kind === 'follow') {
      followed.add(step.pod);
      spawnSync(kubectl, ['logs', '--namespace', namespace, '--follow', `pod/${step.pod}`], {
        stdio: 'inherit',
      });
      lastChange = Date.now();
      continue;
    }
    if (step.what !== said) {
      log(`job/${job}: ${step.what}`);
      said = step.what;
      lastChange = Date.now();
    }
    if (Date.now() - lastChange > idleMs)
      throw new UsageError(
        `job/${job}: ${step.what} for ${Math.round(idleMs / 1000)} s: kubectl --namespace ${namespace} describe job ${job}`,
      );
    pause(pollMs);
  }
}
