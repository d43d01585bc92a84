import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { CHART_DIR } from '../src';

/** The chart's own sections; kube-prometheus-stack and valkey are documented upstream. */
const OWN_SECTIONS = new Set([
  'nameOverride',
  'fullnameOverride',
  'api',
  'rtb',
  'monitoring',
  'loadtest',
  'kubePrometheusStack',
  'redis',
]);

/** Every documented value's path: a key with a "# --" comment, and every key below it. */
function undocumentedLeaves(node: Node | null, path: string[], documented: boolean, out: string[]): void {
  if (!isMap(node)) {
    if (!documented) out.push(path.join('.'));
    return;
  }
  if (node.items.length === 0 && !documented) out.push(path.join('.'));
  (node.items as Pair<Node, Node>[]).forEach((pair, index) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    // The yaml parser hangs a comment above a map's first key on the map itself.
    const comment = (pair.key?.commentBefore ?? '') + (index === 0 ? (node.commentBefore ?? '') : '');
    const here = documented || /(^|\n) ?-- /.test(comment);
    if (isSeq(pair.value) || !isMap(pair.value)) {
      if (!here) out.push([...path, key].join('.'));
    } else {
      undocumentedLeaves(pair.value, [...path, key], here, out);
    }
  });
}

describe('values.yaml', () => {
  const document = parseDocument(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8'));

  it('documents every value of the chart where it is defined (# -- comments)', () => {
    const missing: string[] = [];
    for (const pair of (document.contents as { items: Pair<Node, Node>[] }).items) {
      const key = String((pair.key as { value: unknown }).value);
      if (!OWN_SECTIONS.has(key)) continue;
      const comment = pair.key?.commentBefore ?? '';
      undocumentedLeaves(
        isMap(pair.value) ? pair.value : (pair.value as Node),
        [key],
        /(^|\n) ?-- /.test(comment),
        missing,
      );
    }
    expect(missing).toEqual([]);
  });

  it('documents the subchart sections and turns each dependency on and off with its own key', () => {
    const text = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8');
    expect(text).toMatch(/# -- Values of the kube-prometheus-stack dependency[^]*\nkube-prometheus-stack:/);
    expect(text).toMatch(/# -- Values of the valkey dependency[^]*\nvalkey:/);
    const chart = parseDocument(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')).toJS() as {
      dependencies: { name: string; condition: string }[];
    };
    expect(chart.dependencies.map((d) => [d.name, d.condition])).toEqual([
      ['kube-prometheus-stack', 'kubePrometheusStack.enabled'],
      ['valkey', 'redis.enabled'],
    ]);
  });
});
