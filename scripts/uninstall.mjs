#!/usr/bin/env node
// VS Code task "Clustache: Uninstall".
import { spawnSync } from 'node:child_process';
import { DEFAULTS, main, requireCluster, requireCommand, requireHelm, run } from './lib/cli.mjs';

const USAGE = `Usage: node scripts/uninstall.mjs [--purge] [--release NAME] [--namespace NS]

Uninstalls the release and the k6 Jobs started beside it (node scripts/load-test.mjs).
Persistent volumes (Redis, Prometheus, Alertmanager, Grafana data) stay unless --purge.

  --purge           also delete the namespace, with every volume in it
  --release NAME    release name (default: ${DEFAULTS.release}, or CLUSTACHE_RELEASE)
  --namespace NS    namespace (default: ${DEFAULTS.namespace}, or CLUSTACHE_NAMESPACE)

The Prometheus Operator's CRDs stay installed (other releases may use them); remove them with:
  kubectl get crd -o name | grep monitoring.coreos.com | xargs kubectl delete

Needs kubectl, helm and a reachable cluster.`;

main('uninstall', USAGE, { purge: 'boolean', release: 'string', namespace: 'string' }, ({ options }) => {
  const kubectl = requireCommand('kubectl');
  const helm = requireHelm();
  requireCluster(kubectl);
  const release = options.release ?? DEFAULTS.release;
  const namespace = options.namespace ?? DEFAULTS.namespace;

  const installed =
    spawnSync(helm, ['status', release, '--namespace', namespace], { encoding: 'utf8' }).status === 0;
  if (installed) run(helm, ['uninstall', release, '--namespace', namespace, '--wait']);
  else console.log(`Release "${release}" is not installed in namespace "${namespace}".`);
  run(kubectl, [
    'delete',
    'job',
    '--namespace',
    namespace,
    '--ignore-not-found',
    '--selector',
    `app.kubernetes.io/instance=${release},app.kubernetes.io/component=loadtest`,
  ]);
  if (options.purge) run(kubectl, ['delete', 'namespace', namespace, '--ignore-not-found', '--wait']);
  else
    console.log(`Volumes kept: kubectl --namespace ${namespace} get pvc (delete them, or run with --purge).`);
});
