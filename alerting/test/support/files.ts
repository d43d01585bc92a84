import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The alerting files under test, parsed, and a runner for promtool and amtool. */

export const ALERTING_DIR = join(__dirname, '..', '..');
export const RULES_DIR = join(ALERTING_DIR, 'rules');
export const ALERTMANAGER_DIR = join(ALERTING_DIR, 'alertmanager');
export const RUNBOOKS_FILE = join(ALERTING_DIR, '..', 'docs', 'runbooks.md');

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rules file (the chart makes each a PrometheusRule) and its promtool unit tests, `<name>.test.yml`. */
export interface RulesFile {
  name: string;
  path: string;
  testPath: string;
}

/** Every rules file under rules/: clustache.rules.yml, rtb.rules.yml. */
export const RULES_FILES: RulesFile[] = readdirSync(RULES_DIR)
  .filter((name) => name.endsWith('.rules.yml'))
  .sort()
  .map((name) => ({
    name,
    path: join(RULES_DIR, name),
    testPath: join(RULES_DIR, name.replace(/\.yml$/, '.test.yml')),
  }));

/** The rules of one file, or of every rules file. */
export function readRules(file?: RulesFile): Rule[] {
  return (file ? [file] : RULES_FILES).flatMap((each) => {
    const parsed = parse(readFileSync(each.path, 'utf8')) as { groups: { rules: Rule[] }[] };
    return parsed.groups.flatMap((group) => group.rules);
  });
}

export function readAlerts(file?: RulesFile): (Rule & { alert: string })[] {
  return readRules(file).filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export { runTool, type ToolResult } from '@clustache/testing';
