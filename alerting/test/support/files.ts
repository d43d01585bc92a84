import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

/** The alerting files under test, parsed, and a runner for promtool and amtool. */

export const ALERTING_DIR = join(__dirname, '..', '..');
export const RULES_FILE = join(ALERTING_DIR, 'rules', 'clustache.rules.yml');
export const RULES_TEST_FILE = join(ALERTING_DIR, 'rules', 'clustache.rules.test.yml');
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

export function readRules(): Rule[] {
  const file = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { rules: Rule[] }[] };
  return file.groups.flatMap((group) => group.rules);
}

export function readAlerts(): (Rule & { alert: string })[] {
  return readRules().filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool to completion and returns its exit code and output, failing only if it cannot start. */
export async function runTool(binary: string, args: string[]): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(binary, args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & {
      code?: number | string;
      stdout?: string;
      stderr?: string;
    };
    if (typeof failure.code !== 'number') throw new Error(`cannot run ${binary}: ${failure.message}`);
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
