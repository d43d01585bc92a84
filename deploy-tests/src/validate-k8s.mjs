/**
 * Validates Kubernetes objects against the schemas of their kinds, offline and strictly, as
 * `kubectl apply --validate=strict` would:
 * - types, formats and required fields with kubernetes-models (built-in kinds, generated from
 *   Kubernetes' OpenAPI) and @kubernetes-models/prometheus-operator (generated from the
 *   operator's CRDs);
 * - unknown fields with the strict schemas of strict-schemas.mjs: a misspelt field is an error
 *   naming its path, `unknown field "spec.template.spec.containers[0].imagePullPolice"`.
 * Those packages are ES modules only, so the tests run this file as a child process: JSON array
 * of objects on stdin, JSON array of {kind, name, apiVersion, errors} on stdout (errors empty
 * when valid).
 */
import { readFileSync } from 'node:fs';
import { modelModuleOf, strictValidatorsOf } from './strict-schemas.mjs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const kinds = new Map();
for (const object of objects) {
  if (typeof object?.apiVersion !== 'string' || typeof object?.kind !== 'string') continue;
  const module = modelModuleOf(object.apiVersion, object.kind);
  kinds.set(module, { module, kind: object.kind });
}
const strictValidators = await strictValidatorsOf([...kinds.values()]);

const results = [];
for (const object of objects) {
  const name = object?.metadata?.name ?? '(no name)';
  const kind = object?.kind ?? '(no kind)';
  results.push({ kind, name, apiVersion: object?.apiVersion, errors: await validate(object) });
}
process.stdout.write(JSON.stringify(results));

async function validate(object) {
  if (typeof object?.apiVersion !== 'string' || typeof object?.kind !== 'string')
    return ['apiVersion and kind must be strings'];
  const module = modelModuleOf(object.apiVersion, object.kind);
  let Model;
  try {
    Model = (await import(module))[object.kind];
  } catch {
    return [`no schema for ${object.apiVersion} ${object.kind} (looked for ${module})`];
  }
  if (typeof Model !== 'function') return [`no model ${object.kind} in ${module}`];
  const checked = withModelQuirks(object);
  return [...modelErrors(Model, checked), ...unknownFields(module, checked)];
}

function modelErrors(Model, object) {
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

/** Only the fields the kind does not declare: the model has judged everything else. */
function unknownFields(module, object) {
  const strict = strictValidators.get(module);
  if (!strict) return [`no strict schema for ${module}`];
  if (strict.error) return [strict.error];
  if (strict.validate(object)) return [];
  const fields = strict.validate.errors
    .filter((error) => error.keyword === 'additionalProperties')
    .map((error) => `unknown field "${fieldPath(error.instancePath, error.params.additionalProperty)}"`);
  return [...new Set(fields)];
}

/** `/spec/endpoints/0` and `relabellings` → `spec.endpoints[0].relabellings`. */
function fieldPath(instancePath, field) {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  return [...segments, field].reduce(
    (path, segment) =>
      /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
    '',
  );
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
