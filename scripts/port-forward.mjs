#!/usr/bin/env node
// VS Code tasks "Clustache: Port-forward Grafana", "... Prometheus", "... Alertmanager", "... API"
// and "Clustache: Open notifications".
import { DEFAULTS, UsageError, capture, main, requireCluster, requireCommand, run } from './lib/cli.mjs';

/**
 * Each target's Service, found by the labels its chart puts on it, the Service port to forward
 * (by name; else its first), and the local port. The local ports differ from one another and
 * from `npm start`'s (8080, 8081, 9090, 9093), so any tasks can run together and beside it.
 */
const TARGETS = {
  grafana: {
    selector: (r) => `app.kubernetes.io/name=grafana,app.kubernetes.io/instance=${r}`,
    localPort: 3000,
    path: '/',
  },
  prometheus: {
    selector: (r) => `app=kube-prometheus-stack-prometheus,release=${r}`,
    localPort: 9190,
    path: '/',
  },
  alertmanager: {
    selector: (r) => `app=kube-prometheus-stack-alertmanager,release=${r}`,
    localPort: 9193,
    path: '/',
  },
  api: {
    selector: (r) => `app.kubernetes.io/component=api,app.kubernetes.io/instance=${r}`,
    localPort: 8180,
    path: '/stats',
  },
  notifications: {
    selector: (r) => `app.kubernetes.io/component=notifications,app.kubernetes.io/instance=${r}`,
    portName: 'http',
    localPort: 8025,
    path: '/',
    missing:
      'the mail catcher is off: ship with values-local.yaml, or set notifications.mailCatcher.enabled=true',
  },
};

const USAGE = `Usage: node scripts/port-forward.mjs grafana|prometheus|alertmanager|api|notifications [--port N] [--release NAME] [--namespace NS]

Forwards a local port to the Service of the release until you press Ctrl+C:
  grafana        http://localhost:3000  (prints the admin login)
  prometheus     http://localhost:9190
  alertmanager   http://localhost:9193
  api            http://localhost:8180
  notifications  http://localhost:8025  (the alert mails Alertmanager sent to the in-cluster mail catcher)

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
      'jsonpath={range .items[*]}{.metadata.name}{range .spec.ports[*]} {.name}={.port}{end}{"\\n"}{end}',
    ]).trim();
    if (!found) {
      throw new UsageError(
        `no ${positional[0]} Service of release "${release}" in namespace "${namespace}": ${target.missing ?? 'ship the chart first (node scripts/ship-chart.mjs)'}`,
      );
    }
    const [service, ...ports] = found.split('\n')[0].split(' ');
    const named = ports.find((port) => port.startsWith(`${target.portName}=`)) ?? ports[0];
    const remotePort = named.split('=')[1];
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
