/** A rendered Kubernetes object, as parsed from helm's output. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/**
 * Kubernetes' label-selector semantics. `null`/`undefined` selects nothing and `{}` selects
 * everything, as the Prometheus Operator reads its serviceMonitorSelector and ruleSelector.
 */
export function selects(
  selector: LabelSelector | null | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (selector === null || selector === undefined) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]!))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key]!)) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Every object of a kind. */
export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

/** The one object of a kind (and name), or a failure naming what was there instead. */
export function one(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = ofKind(objects, kind).filter((object) => name === undefined || object.metadata.name === name);
  if (found.length !== 1) {
    const present = ofKind(objects, kind).map((object) => object.metadata.name);
    throw new Error(
      `expected one ${kind}${name ? ` named ${name}` : ''}; found ${found.length} (${kind}s present: ${present.join(', ') || 'none'})`,
    );
  }
  return found[0]!;
}
