/**
 * Validates Kubernetes objects against the schemas of their kinds, offline: built-in kinds with
 * kubernetes-models (generated from Kubernetes' OpenAPI), Prometheus Operator kinds with
 * @kubernetes-models/prometheus-operator (generated from the operator's CRDs). Those packages are
 * ES modules only, so the tests run this file as a child process: JSON array of objects on
 * stdin, JSON array of {kind, name, errors} on stdout (errors empty when valid).
 */
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const name = object?.metadata?.name ?? '(no name)';
  const kind = object?.kind ?? '(no kind)';
  results.push({ kind, name, apiVersion: object?.apiVersion, errors: await validate(object) });
}
process.stdout.write(JSON.stringify(results));

async function validate(object) {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const module =
    group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${object.kind}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`;
  let Model;
  try {
    Model = (await import(module))[object.kind];
  } catch {
    return [`no schema for ${object.apiVersion} ${object.kind} (looked for ${module})`];
  }
  if (typeof Model !== 'function') return [`no model ${object.kind} in ${module}`];
  try {
    new Model(withModelQuirks(object)).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

/**
 * @kubernetes-models/prometheus-operator 6.0.0 types `storage.volumeClaimTemplate` as a model of
 * its own that requires apiVersion "monitoring.coreos.com/v1" and kind
 * "EmbeddedPersistentVolumeClaim"; the operator's CRD has neither field required (and
 * kube-prometheus-stack's own examples omit them). Fill them in on a copy, nothing else.
 */
function withModelQuirks(object) {
  const template = object?.spec?.storage?.volumeClaimTemplate;
  if (object.apiVersion !== 'monitoring.coreos.com/v1' || !template || template.apiVersion || template.kind)
    return object;
  const copy = structuredClone(object);
  copy.spec.storage.volumeClaimTemplate = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'EmbeddedPersistentVolumeClaim',
    ...template,
  };
  return copy;
}
