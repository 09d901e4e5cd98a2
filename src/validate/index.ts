// Validate: checks each manifest against the JSON Schema of its `type`.
import type { Diagnostic } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { closest, orList, quote } from '../core/text.ts';
import { typeAndName, type Manifest } from '../parse/manifest.ts';
import { diagnosticsFromAjv } from './errors.ts';
import type { SchemaSet } from './schemas.ts';

export { loadSchemaSet } from './schemas.ts';
export type { SchemaSet } from './schemas.ts';

function schemaDiagnostic(m: Manifest, path: (string | number)[], message: string, hint?: string, prefer: 'key' | 'value' = 'value'): Diagnostic {
  return { ruleId: 'schema', severity: 'error', message, hint, file: m.file, docIndex: m.docIndex, path, range: m.rangeOf(path, prefer) };
}

/** Validates one manifest; returns its schema diagnostics (empty when valid). */
export function validateManifest(m: Manifest, schemas: SchemaSet): Diagnostic[] {
  const data = m.data;
  if (!isRecord(data)) {
    const what = Array.isArray(data) ? 'a list' : data === null ? 'null' : `a ${typeof data} (${quote(data)})`;
    return [schemaDiagnostic(m, [], `a manifest must be a mapping with a "type" key, but this document is ${what}`,
      'Each YAML document (between --- lines) holds one manifest such as "type: provider-account/openai".')];
  }
  const envelope = apiEnvelope(data);
  if (envelope) {
    const inner = scoped(m, ['manifest']);
    return [
      schemaDiagnostic(m, ['manifest'], `this document is ${envelope}, not a manifest: a manifest file holds only what is under "manifest"`,
        'Move the contents of "manifest:" to the top level of the document and drop the other keys; tfy-lint and the platform\'s apply read bare manifests.', 'key'),
      ...validateManifest(inner, schemas).map((d) => ({ ...d, path: ['manifest', ...d.path] })),
    ];
  }
  const type = data.type;
  if (type === undefined) {
    return [schemaDiagnostic(m, ['type'], 'missing required property "type": tfy-lint cannot tell which manifest this is',
      'Add the manifest type, e.g. type: provider-account/openai. If this YAML file is not a manifest, list it under ignore in tfy-lint.config.yaml.', 'key')];
  }
  if (typeof type !== 'string') {
    return [schemaDiagnostic(m, ['type'], `"type" must be a string, not ${Array.isArray(type) ? 'a list' : typeof type}`)];
  }
  const validator = schemas.validator(type);
  if (!validator) {
    const known = Object.keys(schemas.catalog.types);
    const wrong = schemas.catalog.wrongTypes[type];
    if (wrong) {
      return [schemaDiagnostic(m, ['type'], `${quote(type)} is not a type the platform accepts${wrong.use ? `; use ${quote(wrong.use)}` : ''}`, `${wrong.why}.`)];
    }
    const near = closest(type, known, 3);
    return [schemaDiagnostic(m, ['type'], `unknown manifest type ${quote(type)}${near.length ? ` (did you mean ${orList(near)}?)` : ''}`,
      `tfy-lint knows ${known.length} manifest types (schema snapshot ${schemas.catalog.snapshot}); run "tfy-lint schema --list" to list them.`)];
  }
  if (validator(data)) return [];
  return diagnosticsFromAjv(m, validator.errors ?? [], { catalog: schemas.catalog, source: 'schema' });
}

/** Recognises the REST API's wrappers around a manifest: an apply request body or a GET response. */
function apiEnvelope(data: Record<string, unknown>): string | undefined {
  if (!isRecord(data.manifest)) return undefined;
  if ('createdBySubject' in data || 'tenantName' in data || 'createdAt' in data) return 'an API response (the platform\'s record of a resource)';
  if (data.type === undefined && Object.keys(data).every((k) => k === 'manifest' || k === 'dryRun')) return 'an apply API request body';
  return undefined;
}

/** A view of the manifest nested under `prefix`, with paths and positions still relative to the whole document. */
function scoped(m: Manifest, prefix: (string | number)[]): Manifest {
  const data = (m.data as Record<string, unknown>).manifest;
  return {
    file: m.file,
    docIndex: m.docIndex,
    data,
    ...typeAndName(data),
    get range() { return m.range; },
    ...(m.line !== undefined ? { line: m.line } : {}),
    locate: (path) => { const l = m.locate([...prefix, ...path]); return { ...l, depth: Math.max(0, l.depth - prefix.length) }; },
    rangeOf: (path, prefer) => m.rangeOf([...prefix, ...path], prefer),
  };
}
