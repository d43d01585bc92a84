#!/usr/bin/env node
// VS Code task "Clustache: Ship chart".
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies } from './lib/chart-dependencies.mjs';
import {
  CHART_DIR,
  DEFAULTS,
  main,
  requireCluster,
  requireCommand,
  requireHelm,
  run,
  which,
} from './lib/cli.mjs';

const USAGE = `Usage: node scripts/ship-chart.mjs [--release NAME] [--namespace NS] [--values FILE] [--rtb] [--no-wait]

Ships the umbrella chart to the current kubectl context (Docker Desktop's Kubernetes):
  1. node tools/sync-chart.mjs         dashboards, rules, Alertmanager config, k6 scripts into the chart
  2. helm repo add, dependency update  kube-prometheus-stack and valkey, only when charts/ lacks
                                       them (so a second ship works offline)
  3. helm upgrade --install            into its namespace, with the local values

  --release NAME    release name (default: ${DEFAULTS.release}, or CLUSTACHE_RELEASE)
  --namespace NS    namespace, created when missing (default: ${DEFAULTS.namespace}, or CLUSTACHE_NAMESPACE)
  --values FILE     values file (default: charts/clustache/values-local.yaml)
  --rtb             also deploy the RTB workload (rtb.enabled=true; needs the clustache/rtb image)
  --no-wait         return once the objects are created, without waiting for readiness

Needs kubectl, helm and a reachable cluster. Build the image first: node scripts/build-image.mjs`;

main(
  'ship-chart',
  USAGE,
  { release: 'string', namespace: 'string', values: 'string', rtb: 'boolean', 'no-wait': 'boolean' },
  ({ options }) => {
    const kubectl = requireCommand('kubectl');
    const helm = requireHelm();
    const context = requireCluster(kubectl);
    const release = options.release ?? DEFAULTS.release;
    const namespace = options.namespace ?? DEFAULTS.namespace;
    const values = options.values ?? join(CHART_DIR, 'values-local.yaml');
    console.log(`Shipping release "${release}" to namespace "${namespace}" of context "${context}".`);

    run(process.execPath, [join('tools', 'sync-chart.mjs')]);
    ensureDependencies(helm, CHART_DIR);

    const args = [
      'upgrade',
      '--install',
      release,
      CHART_DIR,
      '--namespace',
      namespace,
      '--create-namespace',
      '--values',
      values,
    ];
    if (options.rtb) args.push('--set', 'rtb.enabled=true');
    // A rebuilt image keeps its tag; its id in a pod annotation rolls the pods onto it.
    for (const [image, values] of Object.entries(LOCAL_IMAGES)) {
      if (values === 'rtb' && !options.rtb) continue;
      const imageId = localImageId(`${image}:local`);
      if (imageId)
        args.push(
          '--set-string',
          `${values}.podAnnotations.clustache\\.dev/image-id=${imageId.replace(/^sha256:/, '')}`,
        );
      else
        console.warn(
          `ship-chart: no local image ${image}:local found; build it first with node scripts/build-image.mjs`,
        );
    }
    if (!options['no-wait']) args.push('--wait', '--timeout', '15m');
    run(helm, args);
    console.log(
      `\nShipped. Open Grafana: node scripts/port-forward.mjs grafana (VS Code: "Clustache: Port-forward Grafana").`,
    );
  },
);

/** The images scripts/build-image.mjs builds → the values section whose pods run each. */
const LOCAL_IMAGES = { 'clustache/cache-api': 'api', 'clustache/rtb': 'rtb' };

function localImageId(image) {
  const docker = which('docker');
  if (!docker) return undefined;
  const inspect = spawnSync(docker, ['image', 'inspect', '--format', '{{.Id}}', image], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return inspect.status === 0 ? inspect.stdout.trim() : undefined;
}
