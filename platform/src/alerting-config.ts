import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The local platform's copies of the alerting files: the rules and the Alertmanager config from
 * alerting/, unchanged except for what a local run needs — the webhook pointed at the console's
 * receiver, and, when asked, shorter `for:` and grouping times so alerts show within seconds.
 */

export const RULES_FILE = join(__dirname, '..', '..', 'alerting', 'rules', 'clustache.rules.yml');
export const ALERTMANAGER_FILE = join(__dirname, '..', '..', 'alerting', 'alertmanager', 'alertmanager.yml');

interface RulesFile {
  groups: { name: string; rules: { alert?: string; for?: string }[] }[];
}

/** The rules file, with every alert's `for:` replaced when `alertFor` is given. */
export async function localRules(alertFor: string | undefined): Promise<string> {
  const text = await readFile(RULES_FILE, 'utf8');
  if (alertFor === undefined) return text;
  const rules = parse(text) as RulesFile;
  for (const rule of rules.groups.flatMap((group) => group.rules)) {
    if (rule.alert !== undefined) rule.for = alertFor;
  }
  return JSON.stringify(rules, null, 2);
}

interface Route {
  group_wait?: string;
  group_interval?: string;
  routes?: Route[];
}

interface AlertmanagerConfig {
  route: Route;
  receivers: { name: string; webhook_configs?: { url: string }[] }[];
}

export interface AlertmanagerOverrides {
  webhookUrl: string;
  groupWait?: string | undefined;
  groupInterval?: string | undefined;
}

/** alertmanager.yml with every webhook sent to `webhookUrl` and, when given, the grouping times replaced on every route. */
export async function localAlertmanagerConfig({
  webhookUrl,
  groupWait,
  groupInterval,
}: AlertmanagerOverrides): Promise<string> {
  const config = parse(await readFile(ALERTMANAGER_FILE, 'utf8')) as AlertmanagerConfig;
  for (const receiver of config.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) webhook.url = webhookUrl;
  }
  const visit = (route: Route) => {
    if (groupWait !== undefined) route.group_wait = groupWait;
    if (groupInterval !== undefined) route.group_interval = groupInterval;
    route.routes?.forEach(visit);
  };
  visit(config.route);
  return JSON.stringify(config, null, 2);
}

/** Writes both files into `workDir`; returns their paths. */
export async function writeAlertingFiles(
  workDir: string,
  alertFor: string | undefined,
  overrides: AlertmanagerOverrides,
): Promise<{ rulesFile: string; alertmanagerFile: string }> {
  const rulesFile = join(workDir, 'clustache.rules.yml');
  const alertmanagerFile = join(workDir, 'alertmanager.yml');
  await writeFile(rulesFile, await localRules(alertFor));
  await writeFile(alertmanagerFile, await localAlertmanagerConfig(overrides));
  return { rulesFile, alertmanagerFile };
}
