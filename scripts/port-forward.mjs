#!/usr/bin/env node
// VS Code tasks "Clustache: Port-forward Grafana", "... Prometheus", "... Alertmanager" and "... API".
import { DEFAULTS, UsageError, capture, main, requireCluster, requireCommand, run } from './lib/cli.mjs';

/** Each target's Service, found by the labels its chart puts on it, and the local port. */
const TARGETS = {
  grafana: {
    selector: (r) => `app.kubernetes.io/name=grafana,app.kubernetes.io/instance=${r}`,
    localPort: 3000,
    path: '/',
  },
  prometheus: {
    selector: (r) => `app=kube-prometheus-stack-prometheus,release=${r}`,
    localPort: 9090,
    path: '/',
  },
  alertmanager: {
    selector: (r) => `app=kube-prometheus-stack-alertmanager,release=${r}`,
    localPort: 9093,
    path: '/',
  },
  api: {
    selector: (r) => `app.kubernetes.io/component=api,app.kubernetes.io/instance=${r}`,
    localPort: 8080,
    path: '/stats',
  },
};

const USAGE = `Usage: node scripts/port-forward.mjs grafana|prometheus|alertmanager|api [--port N] [--release NAME] [--namespace NS]

Forwards a local port to the Service of the release until you press Ctrl+C:
  grafana        http://localhost:3000  (prints the admin login)
  prometheus     http://localhost:9090
  alertmanager   http://localhost:9093
  api            http://localhost:8080

  --port N          another local port
  --release NAME    release name (default: ${DEFAULTS.release}, or CLUSTACHE_RELEASE)
  --namespace NS    namespace (default: ${DEFAULTS.namespace}, or CLUSTACHE_NAMESPACE)

Needs kubectl and a reachable cluster with the chart shipped (node scripts/ship-chart.mjs).`;

main(
  'port-forward',
  USAGE,
  { port: 'string', release: 'string', namespace: 'string' },
  ({ options, positional }) => {
    const target = TARGETS[positional[0]];
    if (!target || positional.length !== 1)
      throw new UsageError(`name one of ${Object.keys(TARGETS).join(', ')}\n\n${USAGE}`);
    const localPort = Number(options.port ?? target.localPort);
    if (!Number.isInteger(localPort) || localPort < 1 || localPort > 65535)
      throw new UsageError(`--port must be a port number; got ${options.port}`);
    const kubectl = requireCommand('kubectl');
    requireCluster(kubectl);
    const release = options.release ?? DEFAULTS.release;
    const namespace = options.namespace ?? DEFAULTS.namespace;

    const found = capture(kubectl, [
      'get',
      'service',
      '--namespace',
      namespace,
      '--selector',
      target.selector(release),
      '--output',
      'jsonpath={range .items[*]}{.metadata.name} {.spec.ports[0].port}{"\\n"}{end}',
    ]).trim();
    if (!found) {
      throw new UsageError(
        `no ${positional[0]} Service of release "${release}" in namespace "${namespace}": ship the chart first (node scripts/ship-chart.mjs)`,
      );
    }
    const [service, remotePort] = found.split('\n')[0].split(' ');
    if (positional[0] === 'grafana') {
      const password = capture(kubectl, [
        'get',
        'secret',
        service,
        '--namespace',
        namespace,
        '--output',
        'jsonpath={.data.admin-password}',
      ]).trim();
      console.log(`Grafana login: user "admin", password "${Buffer.from(password, 'base64').toString()}"`);
    }
    console.log(`Open http://localhost:${localPort}${target.path} (Ctrl+C stops the forward)`);
    run(kubectl, [
      'port-forward',
      '--namespace',
      namespace,
      `service/${service}`,
      `${localPort}:${remotePort}`,
    ]);
  },
);
