/**
 * Strict schemas for Kubernetes kinds: JSON Schemas in which an object that declares its fields
 * admits no other field, so that a misspelt field (`imagePullPolice`, `requets`, `relabellings`)
 * is an error instead of being ignored as the API server and the operator would silently do.
 *
 * kubernetes-models and @kubernetes-models/prometheus-operator ship their schemas only as
 * compiled validators, which accept unknown fields, and as TypeScript declarations generated from
 * the same OpenAPI and CRD schemas. ts-json-schema-generator turns a kind's declaration back into
 * a JSON Schema with `additionalProperties: false` on every declared object type; maps (index
 * signatures such as labels and annotations) keep their value schema, and a type that declares no
 * field at all (RawExtension, FieldsV1: free-form in Kubernetes) stays open. Types are not
 * narrowed here: the models' own validators still judge types, formats and required fields.
 *
 * Generating and compiling takes seconds per kind, so each kind's compiled validator (ajv's
 * standalone code) is kept in node_modules/.cache, keyed by the versions of the packages and of
 * the tools, and by this file's text.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'clustache-strict-schemas');
/** This file's own text is part of each cache key: changing how schemas are made renews them. */
const SELF = readFileSync(fileURLToPath(import.meta.url), 'utf8');
const GENERATOR_CONFIG = {
  // Both packages declare types with the same short names (IProbe, ITopologySpreadConstraint…):
  // inline every type instead of naming definitions, so the two can never be confused.
  expose: 'none',
  topRef: true,
  jsDoc: 'none',
  additionalProperties: false,
};

/** The module of kubernetes-models (built-in kinds) or of the operator's models for a kind. */
export function modelModuleOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group === 'monitoring.coreos.com'
    ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
    : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

/**
 * The strict validator of each {module, kind}, or why there is none: `{ validate }` or
 * `{ error }` by module. A kind whose package or declaration is not installed gets neither (its
 * model is missing too, and the caller reports that). `validate` is ajv's: it returns whether
 * the object is valid and leaves ajv's errors (all of them) in `validate.errors`.
 */
export async function strictValidatorsOf(kinds) {
  const results = new Map();
  const missing = [];
  for (const entry of kinds) {
    const file = cacheFileOf(entry);
    if (!file) continue;
    if (existsSync(file))
      results.set(entry.module, { validate: (await import(pathToFileURL(file).href)).default });
    else missing.push({ ...entry, file });
  }
  const generated = missing.length > 0 ? await generate(missing) : new Map();
  for (const entry of missing) {
    const { schema, error } = generated.get(entry.module);
    if (error) {
      results.set(entry.module, { error });
      continue;
    }
    writeAtomically(entry.file, await compiled(schema));
    results.set(entry.module, { validate: (await import(pathToFileURL(entry.file).href)).default });
  }
  return results;
}

/**
 * ajv's standalone code for a schema: compiling a kind as large as Deployment takes ajv a second
 * or more on a busy machine, importing the compiled module a few milliseconds.
 */
async function compiled(schema) {
  const { Ajv } = await import('ajv');
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  // allErrors: every unknown field of an object, not only the first.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, code: { source: true, esm: true } });
  return standaloneCode(ajv, ajv.compile(schema));
}

/** One TypeScript program over an entry that names each kind's interface, one schema per kind. */
async function generate(kinds) {
  // Loaded only when a schema is not cached yet: TypeScript alone takes a second to load.
  const { default: ts } = await import('typescript');
  const { createFormatter, createParser, SchemaGenerator } = await import('ts-json-schema-generator');
  mkdirSync(CACHE_DIR, { recursive: true });
  // The entry sits under node_modules so that the packages resolve from it as from our code.
  const entry = join(CACHE_DIR, `entry-${process.pid}-${Date.now()}.mts`);
  const aliases = kinds.map((kind, index) => ({ ...kind, alias: `Kind${index}` }));
  writeFileSync(
    entry,
    aliases
      .map(
        ({ module, kind, alias }) =>
          `import type { I${kind} as ${alias}Type } from '${module}';\nexport type ${alias} = ${alias}Type;\n`,
      )
      .join(''),
  );
  try {
    const program = ts.createProgram([entry], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    });
    const config = { ...GENERATOR_CONFIG, path: entry };
    const generator = new SchemaGenerator(
      program,
      createParser(program, config),
      createFormatter(config),
      config,
    );
    const results = new Map();
    for (const { module, alias } of aliases) {
      try {
        results.set(module, { schema: openFreeFormObjects(generator.createSchema(alias)) });
      } catch (error) {
        results.set(module, { error: `no strict schema from ${module}: ${error?.message ?? error}` });
      }
    }
    return results;
  } finally {
    rmSync(entry, { force: true });
  }
}

/**
 * `additionalProperties: false` stays only on object types that declare fields: a type with no
 * declared field stands for free-form content (RawExtension, FieldsV1) and keeps admitting any.
 */
function openFreeFormObjects(schema) {
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (node.additionalProperties === false && Object.keys(node.properties ?? {}).length === 0)
      delete node.additionalProperties;
    Object.values(node).forEach(visit);
  };
  visit(schema);
  return schema;
}

function cacheFileOf({ module, kind }) {
  // The kind is written into TypeScript source: only a plain identifier can be a model's name.
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const version = packageVersionOf(module);
  if (!version) return undefined;
  const tools = ['ts-json-schema-generator', 'typescript', 'ajv'].map(packageVersionOf);
  const key = JSON.stringify({ module, version, tools, SELF });
  return join(CACHE_DIR, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.mjs`);
}

/** The installed version of the package a module belongs to, or undefined when it is not there. */
function packageVersionOf(module) {
  const parts = module.split('/');
  const name = module.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const file = join(REPO_ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  const version = JSON.parse(readFileSync(file, 'utf8')).version;
  if (module === name) return version;
  const declaration = join(REPO_ROOT, 'node_modules', module + '.d.ts');
  return existsSync(declaration) ? version : undefined;
}

/** Written under a temporary name and renamed, so a parallel reader never sees half a file. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
