#!/usr/bin/env node
// VS Code task "Clustache: Uninstall".
import { spawnSync } from 'node:child_process';
import { DEFAULTS, capture, main, requireCluster, requireCommand, requireHelm, run } from './lib/cli.mjs';

const USAGE = `Usage: node scripts/uninstall.mjs [--purge] [--release NAME] [--namespace NS]

Uninstalls the release and the k6 Jobs started beside it (node scripts/load-test.mjs).
The data stays for the next install, which finds it again: the volumes of Valkey and Grafana
(the chart marks them helm.sh/resource-policy=keep), of Prometheus and Alertmanager (StatefulSet
claims), and the generated Redis password that goes with Valkey's data.

  --purge           also delete the namespace, with every volume and Secret in it
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
  if (options.purge) {
    run(kubectl, ['delete', 'namespace', namespace, '--ignore-not-found', '--wait']);
    return;
  }
  const kept = capture(kubectl, ['get', 'pvc', '--namespace', namespace, '--output', 'name']).trim();
  console.log(
    kept
      ? `Kept for the next install (node scripts/uninstall.mjs --purge deletes them):\n${kept}`
      : `No volumes left in namespace "${namespace}".`,
  );
});
