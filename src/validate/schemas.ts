// Validate: the schema set. One ajv instance, each schema compiled on first use; precompiled in the bundle.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCommonJs } from '../core/code-cache.ts';
import type { ErrorObject } from 'ajv';

export interface Catalog {
  snapshot: string;
  idBase: string;
  types: Record<string, { file: string; title: string; source: string }>;
  /** Type strings seen in public material that the platform does not accept, with the right one. */
  wrongTypes: Record<string, { use?: string; why: string }>;
}

export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export interface SchemaSet {
  catalog: Catalog;
  /** The compiled validator of a manifest type, or undefined for an unknown type. */
  validator(type: string): Validator | undefined;
  /** The validator of a schema by file name (e.g. the config schema). */
  validatorForFile(file: string): Validator;
  /** A schema document by file name, as JSON. */
  schema(file: string): Record<string, unknown>;
  /** Compiles a user-supplied schema fragment (rule options, custom rules) with a separate, lenient ajv. */
  compileFragment(schema: Record<string, unknown>): Validator;
}

declare const __TFY_BUNDLE__: boolean | undefined;

/** The folder holding schemas/ (the package root), found from this module's location in src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'schemas', 'catalog.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('schemas/catalog.json not found beside tfy-lint');
}

/** tfy-lint's version (package.json), as every edge reports it. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

let cached: SchemaSet | undefined;

type AjvClass = typeof import('ajv').default;
let providedAjv: AjvClass | undefined;

/**
 * Hands ajv over to a bundle that runs without node_modules (the GitHub Action): ajv is otherwise required on first
 * use, so that a run whose validators are precompiled never loads it.
 */
export function provideAjv(ctor: AjvClass): void {
  providedAjv = ctor;
}

function ajvClass(): AjvClass {
  return providedAjv ?? (createRequire(import.meta.url)('ajv').default as AjvClass);
}

export function loadSchemaSet(): SchemaSet {
  if (cached) return cached;
  const root = packageRoot();
  const schemaDir = join(root, 'schemas');
  const catalog = JSON.parse(readFileSync(join(schemaDir, 'catalog.json'), 'utf8')) as Catalog;
  const docs = new Map<string, Record<string, unknown>>();
  const schema = (file: string) => {
    let s = docs.get(file);
    if (!s) { s = JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as Record<string, unknown>; docs.set(file, s); }
    return s;
  };
  const compiledFor = typeof __TFY_BUNDLE__ !== 'undefined' && __TFY_BUNDLE__
    ? precompiled(dirname(fileURLToPath(import.meta.url)))
    : runtimeCompiler(catalog, schema);
  const byFile = new Map<string, Validator>();
  const validatorForFile = (file: string) => {
    let v = byFile.get(file);
    if (!v) { v = compiledFor(file); byFile.set(file, v); }
    return v;
  };
  let fragments: { compile(s: Record<string, unknown>): Validator } | undefined;
  cached = {
    catalog,
    validator: (type) => (Object.hasOwn(catalog.types, type) ? validatorForFile(catalog.types[type].file) : undefined),
    validatorForFile,
    schema,
    compileFragment: (s) => {
      if (!fragments) {
        const AjvCtor = ajvClass();
        fragments = new AjvCtor({ allErrors: true, verbose: true, allowUnionTypes: true, strict: false });
      }
      return fragments.compile(s);
    },
  };
  return cached;
}

/** Standalone validators written by scripts/build.mjs beside the bundle: one CommonJS module per schema, loaded on demand. */
function precompiled(bundleDir: string): (file: string) => Validator {
  const index = JSON.parse(readFileSync(join(bundleDir, 'validators', 'index.json'), 'utf8')) as Record<string, string>;
  return (file) => {
    const mod = index[file];
    if (!mod) throw new Error(`no precompiled validator for ${file}; rebuild with npm run build`);
    return loadCommonJs(join(bundleDir, 'validators', mod)) as Validator;
  };
}

/** Compiles schemas with ajv at run time (tests and development); options must match scripts/build.mjs. */
function runtimeCompiler(catalog: Catalog, schema: (file: string) => Record<string, unknown>): (file: string) => Validator {
  const AjvCtor = ajvClass();
  const ajv = new AjvCtor({ ...AJV_OPTIONS, code: { process: linearErrorMerge } });
  const files = ['common.schema.json', ...Object.values(catalog.types).map((t) => t.file), CONFIG_SCHEMA_FILE, POLICY_SCHEMA_FILE];
  for (const f of files) ajv.addSchema(schema(f));
  return (file) => {
    const id = schema(file).$id as string;
    const v = ajv.getSchema(id);
    if (!v) throw new Error(`schema ${file} did not compile`);
    return v as Validator;
  };
}

export const CONFIG_SCHEMA_FILE = 'tfy-lint.config.schema.json';
export const POLICY_SCHEMA_FILE = 'tfy-lint.policy.schema.json';

/**
 * Rewrites ajv's generated code so that a sub-validator's errors are appended in place. ajv copies the whole error
 * list for every failing `$ref` item (`vErrors.concat(...)`), which makes a list of N failing items cost N^2: 20,000
 * failing rules took a minute. scripts/build.mjs applies the same rewrite to the precompiled validators.
 */
export function linearErrorMerge(code: string): string {
  return code.replace(/vErrors = vErrors === null \? (\w+)\.errors : vErrors\.concat\(\1\.errors\);/g,
    'if (vErrors === null) vErrors = $1.errors; else for (const e of $1.errors) vErrors.push(e);');
}

/** The ajv options every schema is compiled with, at run time and at build time alike. */
export const AJV_OPTIONS = { strict: true, allErrors: true, verbose: true, allowUnionTypes: true } as const;
