import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessSpec } from '../managed-process';
import { httpOk } from '../net';
import { parseDuration } from '../duration';

export interface ScrapeTargets {
  /** Replica name (its `instance` label) → port. */
  replicas: Map<string, number>;
  redisExporterPort: number;
  /** The RTB API and aggregator processes, under the chart's job names. */
  rtbApiPort: number;
  rtbAggregatorPort: number;
  alertmanagerPort: number;
  prometheusPort: number;
}

/**
 * prometheus.yml for the local platform: the same jobs and labels as the Helm chart
 * (job="clustache-api" with one `instance` per replica, named like its INSTANCE_ID;
 * job="redis-exporter"; job="clustache-rtb-api" and "clustache-rtb-aggregator"), the alert rules,
 * and Alertmanager. Written as JSON, which is YAML.
 */
export function prometheusConfig(
  targets: ScrapeTargets,
  rulesFile: string,
  scrapeInterval: string,
  evaluationInterval: string,
): object {
  const scrapeTimeout = `${Math.min(parseDuration(scrapeInterval), 10_000)}ms`;
  return {
    global: {
      scrape_interval: scrapeInterval,
      scrape_timeout: scrapeTimeout,
      evaluation_interval: evaluationInterval,
    },
    rule_files: [rulesFile],
    alerting: {
      alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${targets.alertmanagerPort}`] }] }],
    },
    scrape_configs: [
      {
        job_name: 'clustache-api',
        static_configs: [...targets.replicas].map(([instance, port]) => ({
          targets: [`127.0.0.1:${port}`],
          labels: { instance },
        })),
      },
      {
        job_name: 'clustache-rtb-api',
        static_configs: [{ targets: [`127.0.0.1:${targets.rtbApiPort}`], labels: { instance: 'rtb-api' } }],
      },
      {
        job_name: 'clustache-rtb-aggregator',
        static_configs: [
          { targets: [`127.0.0.1:${targets.rtbAggregatorPort}`], labels: { instance: 'rtb-aggregator' } },
        ],
      },
      {
        job_name: 'redis-exporter',
        static_configs: [{ targets: [`127.0.0.1:${targets.redisExporterPort}`] }],
      },
      { job_name: 'alertmanager', static_configs: [{ targets: [`127.0.0.1:${targets.alertmanagerPort}`] }] },
      { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${targets.prometheusPort}`] }] },
    ],
  };
}

/** Prometheus with the remote-write receiver on, so a load test can push its metrics (k6 style). */
export async function prometheusSpec(
  binary: string,
  config: object,
  port: number,
  workDir: string,
): Promise<ProcessSpec> {
  const configFile = join(workDir, 'prometheus.yml');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  return {
    name: 'prometheus',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(workDir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--storage.tsdb.retention.time=1d',
    ],
    logFile: join(workDir, 'logs', 'prometheus.log'),
    ready: () => httpOk(`http://127.0.0.1:${port}/-/ready`),
  };
}
