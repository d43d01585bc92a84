#!/usr/bin/env node
// VS Code task "Clustache: Run load test".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHART_DIR,
  DEFAULTS,
  UsageError,
  capture,
  main,
  requireCluster,
  requireCommand,
  requireHelm,
  run,
} from './lib/cli.mjs';
import { followJob } from './lib/load-job.mjs';

const PROFILES = ['smoke', 'steady', 'spike', 'soak'];

const USAGE = `Usage: node scripts/load-test.mjs [--profile smoke|steady|spike|soak] [--release NAME] [--namespace NS] [--no-follow]

Runs one k6 load test in the cluster, beside the release: a Job made from the chart's own k6 Job
template with the release's values, the chosen profile and the test id "<profile>-<time>".
Its metrics go to Prometheus (Grafana's k6 panels, filter by testid); its summary is printed here,
and the exit code says whether the thresholds held (the Job's Complete or Failed condition).

  --profile NAME    smoke (default), steady, spike or soak (loadtest/<profile>.ts)
  --release NAME    release name (default: ${DEFAULTS.release}, or CLUSTACHE_RELEASE)
  --namespace NS    namespace (default: ${DEFAULTS.namespace}, or CLUSTACHE_NAMESPACE)
  --no-follow       start the Job and return

Needs kubectl, helm and a reachable cluster with the chart shipped (node scripts/ship-chart.mjs).`;

main(
  'load-test',
  USAGE,
  { profile: 'string', release: 'string', namespace: 'string', 'no-follow': 'boolean' },
  ({ options }) => {
    const profile = options.profile ?? 'smoke';
    if (!PROFILES.includes(profile))
      throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}; got ${profile}`);
    const kubectl = requireCommand('kubectl');
    const helm = requireHelm();
    requireCluster(kubectl);
    const release = options.release ?? DEFAULTS.release;
    const namespace = options.namespace ?? DEFAULTS.namespace;

    const status = spawnSync(helm, ['status', release, '--namespace', namespace], { encoding: 'utf8' });
    if (status.status !== 0)
      throw new UsageError(
        `release "${release}" is not installed in namespace "${namespace}": ship the chart first (node scripts/ship-chart.mjs)`,
      );

    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\..*/, '')
      .replace('T', '-')
      .toLowerCase();
    const runName = `${profile}-${stamp}`;
    const work = mkdtempSync(join(tmpdir(), 'clustache-load-'));
    try {
      const values = join(work, 'release-values.yaml');
      writeFileSync(
        values,
        capture(helm, ['get', 'values', release, '--namespace', namespace, '--output', 'yaml']),
      );
      const manifest = capture(helm, [
        'template',
        release,
        CHART_DIR,
        '--namespace',
        namespace,
        '--values',
        values,
        '--set',
        'loadtest.enabled=true',
        '--set',
        'loadtest.mode=once',
        '--set',
        `loadtest.profile=${profile}`,
        '--set',
        `loadtest.runName=${runName}`,
        '--set',
        `loadtest.testId=${runName}`,
        '--show-only',
        'templates/loadtest/job.yaml',
      ]);
      const job = /^ {2}name: (\S+)$/m.exec(manifest)?.[1];
      const scripts = /configMap:\n\s+name: (\S+)/.exec(manifest)?.[1];
      if (!job || !scripts) throw new UsageError('could not read the Job rendered by the chart');
      const hasScripts = spawnSync(kubectl, ['get', 'configmap', scripts, '--namespace', namespace], {
        encoding: 'utf8',
      });
      if (hasScripts.status !== 0)
        throw new UsageError(
          `the release has no k6 scripts (ConfigMap ${scripts}): ship it with loadtest.enabled=true, as values-local.yaml does`,
        );
      const file = join(work, 'job.yaml');
      writeFileSync(file, manifest);
      run(kubectl, ['create', '--namespace', namespace, '--filename', file]);
      console.log(`k6 "${profile}" runs as job/${job} with testid=${runName}.`);
      if (options['no-follow']) return;
      // The pod appears, and the Job records the result, only some time after these calls:
      // followJob polls until the Job has its Complete or Failed condition.
      const verdict = followJob(kubectl, { namespace, job });
      if (verdict.kind !== 'passed')
        throw new UsageError(
          `k6 "${profile}" did not pass (${verdict.reason || 'the Job failed'}): kubectl --namespace ${namespace} describe job ${job}`,
        );
      console.log(`k6 "${profile}" passed its thresholds.`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
);
