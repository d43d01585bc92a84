import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { helm, type HelmResult } from './helm';
import type { K8sObject } from './k8s';
import { CHART_DIR, STANDINS_DIR } from './paths';

export interface RenderOptions {
  /** Values files, relative to the chart (e.g. 'values-local.yaml', 'ci/ingress-values.yaml'). */
  values?: string[];
  /** --set overrides, key → value (helm parses true, false and numbers). */
  set?: Record<string, string>;
  /** @default 'clustache' */
  release?: string;
  /** @default 'clustache' */
  namespace?: string;
}

interface Dependency {
  name: string;
  version: string;
}

/**
 * A temporary copy of charts/clustache with the stand-in subcharts in its charts/ folder, so
 * that real helm can lint and render it without a chart repository. The committed chart is
 * never touched.
 */
export class ChartUnderTest {
  private constructor(
    readonly root: string,
    readonly dir: string,
  ) {}

  static prepare(): ChartUnderTest {
    const root = mkdtempSync(join(tmpdir(), 'clustache-chart-'));
    const dir = join(root, 'clustache');
    cpSync(CHART_DIR, dir, { recursive: true, filter: (src) => !src.startsWith(join(CHART_DIR, 'charts')) });
    const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as {
      dependencies: Dependency[];
    };
    for (const dependency of chart.dependencies) {
      const target = join(dir, 'charts', dependency.name);
      mkdirSync(target, { recursive: true });
      cpSync(join(STANDINS_DIR, dependency.name), target, { recursive: true });
      writeFileSync(
        join(target, 'Chart.yaml'),
        `apiVersion: v2\nname: ${dependency.name}\nversion: ${dependency.version}\ndescription: Stand-in for tests (deploy-tests/standins)\n`,
      );
    }
    return new ChartUnderTest(root, dir);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** `helm template`; throws with helm's message when rendering fails. */
  async render(options: RenderOptions = {}): Promise<K8sObject[]> {
    const result = await this.template(options);
    if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
    return parseManifests(result.stdout);
  }

  /** `helm template` without judging the outcome. */
  template(options: RenderOptions = {}): Promise<HelmResult> {
    return helm([
      'template',
      options.release ?? 'clustache',
      this.dir,
      '--namespace',
      options.namespace ?? 'clustache',
      ...this.valueArgs(options),
    ]);
  }

  lint(options: RenderOptions = {}): Promise<HelmResult> {
    return helm([
      'lint',
      '--strict',
      this.dir,
      '--namespace',
      options.namespace ?? 'clustache',
      ...this.valueArgs(options),
    ]);
  }

  /** What `helm install` would print, NOTES included, without a cluster. */
  dryRunInstall(options: RenderOptions = {}): Promise<HelmResult> {
    return helm([
      'install',
      options.release ?? 'clustache',
      this.dir,
      '--dry-run=client',
      '--namespace',
      options.namespace ?? 'clustache',
      ...this.valueArgs(options),
    ]);
  }

  private valueArgs(options: RenderOptions): string[] {
    const args: string[] = [];
    for (const file of options.values ?? []) args.push('--values', join(this.dir, file));
    for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
    return args;
  }
}

/** Every object of a multi-document manifest. */
export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0)
        throw new Error(`rendered YAML does not parse: ${document.errors[0]!.message}`);
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null && typeof object === 'object');
}
