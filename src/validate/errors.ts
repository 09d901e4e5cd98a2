// Validate: turns ajv errors into one plain-sentence diagnostic per root cause, at the right range.
import type { ErrorObject } from 'ajv';
import type { Diagnostic, JsonPath } from '../core/diagnostic.ts';
import { formatPath, fromPointer, getPath, isRecord } from '../core/jsonpath.ts';
import { safeValue } from '../core/secrets.ts';
import { closest, didYouMean, orList, quote } from '../core/text.ts';
import type { Manifest } from '../parse/manifest.ts';
import { explainPattern } from './patterns.ts';
import type { Catalog } from './schemas.ts';

const JSON_TYPE_NAMES: Record<string, string> = {
  string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false', object: 'a mapping',
  array: 'a list', null: 'null',
};

function typeOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'a whole number' : 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return `a ${typeof v}`;
}

function lastKey(path: JsonPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
}

/** "field" for a property, "item 2 of field" for a list item. */
function subject(path: JsonPath): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the document';
  if (typeof last === 'number') return `${formatPath(path)}`;
  return `"${last}"`;
}

function shown(path: JsonPath, value: unknown): string {
  const v = safeValue(path, value);
  const s = quote(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** What kind of object sits at a path, for context in messages: its `type` when it has one. */
function objectKind(data: unknown, path: JsonPath): string {
  const obj = getPath(data, path);
  if (isRecord(obj) && typeof obj.type === 'string') return ` (${obj.type})`;
  return '';
}

interface Options { catalog: Catalog; source: 'schema' }

interface KnownProperties {
  /** The hint listing the allowed properties. */
  hint: string;
  /** The allowed property closest to an unknown one, if any is close. */
  nearest(extra: string): string | undefined;
}

/**
 * What an unknown property's finding says about the schema that refused it, worked out once per schema object: a
 * misspelt key in a thousand list items is one schema and one spelling, asked a thousand times.
 */
const knownProperties = new WeakMap<object, KnownProperties>();

function propertiesOf(parentSchema: unknown): KnownProperties {
  const cacheable = parentSchema !== null && typeof parentSchema === 'object';
  const hit = cacheable ? knownProperties.get(parentSchema) : undefined;
  if (hit) return hit;
  const allowed = Object.keys((parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
  const near = new Map<string, string | undefined>();
  const known: KnownProperties = {
    hint: allowed.length ? `Allowed here: ${allowed.join(', ')}.` : 'No properties are allowed here.',
    nearest(extra) {
      if (near.has(extra)) return near.get(extra);
      const best = closest(extra, allowed, 1)[0];
      if (near.size >= 1000) near.clear(); // many distinct misspellings: keep the memory bounded
      near.set(extra, best);
      return best;
    },
  };
  if (cacheable) knownProperties.set(parentSchema, known);
  return known;
}

/** Converts the errors of one validation run over one manifest. */
export function diagnosticsFromAjv(manifest: Manifest, errors: readonly ErrorObject[], { catalog }: Options): Diagnostic[] {
  const data = manifest.data;
  const out: Diagnostic[] = [];
  const push = (path: JsonPath, message: string, hint: string | undefined, rangePath: JsonPath = path, prefer: 'key' | 'value' = 'key') => {
    out.push({ ruleId: 'schema', severity: 'error', message, hint, file: manifest.file, docIndex: manifest.docIndex, path, range: manifest.rangeOf(rangePath, prefer) });
  };

  // anyOf / oneOf over plain types ("a string or a mapping"): the branch type errors at the same place collapse into
  // one message, unless a branch of the right type failed deeper, whose errors are then the real ones.
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const unionAt = new Set(unions.map((e) => e.instancePath));
  const deeperUnderUnion = (p: string) => errors.some((e) => e.keyword !== 'type' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if'
    && (e.instancePath === p || e.instancePath.startsWith(`${p}/`)) && unionAt.has(p));

  // An object whose `type` is wrong was checked against the wrong shape: its other errors are noise.
  const wrongTyped = new Set(errors.filter((e) => (e.keyword === 'const' || e.keyword === 'enum') && e.instancePath.endsWith('/type'))
    .map((e) => e.instancePath.slice(0, -'/type'.length)));
  const underWrongType = (e: ErrorObject) => !e.instancePath.endsWith('/type') && [...wrongTyped].some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));

  for (const e of errors) {
    if (wrongTyped.size && underWrongType(e)) continue;
    const at = fromPointer(e.instancePath);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'if':
        break; // the failing `then` branch reports the cause
      case 'anyOf':
      case 'oneOf': {
        if (e.keyword === 'oneOf' && Array.isArray((p as { passingSchemas?: unknown }).passingSchemas)) {
          push(at, `${subject(at)} matches more than one of the allowed forms; make it match exactly one`, undefined, at, 'value');
          break;
        }
        if (deeperUnderUnion(e.instancePath)) break;
        const branches = ((e.schema as unknown[]) ?? []) as Record<string, unknown>[];
        const kinds = [...new Set(branches.map((b) => describeBranch(b)))];
        push(at, `${subject(at)} must be ${kinds.join(' or ')}, not ${typeOfValue(e.data)}`, undefined, at);
        break;
      }
      case 'type': {
        if (unionAt.has(e.instancePath)) break;
        const expected = String(p.type).split(',').map((t) => JSON_TYPE_NAMES[t] ?? t).join(' or ');
        const v = e.data;
        const hint = (p.type === 'string' && (typeof v === 'number' || typeof v === 'boolean'))
          ? `Quote it: ${JSON.stringify(String(v))}. Unquoted, YAML reads it as ${typeof v === 'boolean' ? 'true/false' : 'a number'}.`
          : undefined;
        const scalar = v === null || typeof v !== 'object';
        push(at, `${subject(at)} must be ${expected}, not ${typeOfValue(v)}${scalar && v !== null ? ` (${shown(at, v)})` : ''}`, hint, at, scalar ? 'value' : 'key');
        break;
      }
      case 'required': {
        const missing = String(p.missingProperty);
        const where = at.length ? ` in ${formatPath(at)}` : '';
        const path = [...at, missing];
        if (at.length === 0 && missing === 'name' && typeof (data as Record<string, unknown>)?.type === 'string' && String((data as Record<string, unknown>).type).startsWith('gateway-')) {
          const example = `tenant-${String((data as Record<string, unknown>).type).replace(/^gateway-|-config$/g, '')}`;
          push(path, 'missing required property "name"', `The platform refuses a gateway config without a top-level name ("Manifest does not have a name field"), although its published schema does not list one. Add e.g. name: ${example}.`, path);
          break;
        }
        push(path, `missing required property "${missing}"${where}${objectKind(data, at)}`, undefined, path);
        break;
      }
      case 'additionalProperties': {
        const extra = String(p.additionalProperty);
        const known = propertiesOf(e.parentSchema);
        const path = [...at, extra];
        const near = known.nearest(extra);
        const message = `unknown property "${extra}"${at.length ? ` in ${formatPath(at)}` : ''}${objectKind(data, at)}${near !== undefined ? ` (did you mean "${near}"?)` : ''}`;
        push(path, message, known.hint, path, 'key');
        break;
      }
      case 'enum':
      case 'const': {
        const allowed = e.keyword === 'enum' ? (p.allowedValues as unknown[]) : [p.allowedValue];
        const v = e.data;
        if (lastKey(at) === 'type' && typeof v === 'string' && catalog.wrongTypes[v]) {
          const w = catalog.wrongTypes[v];
          const use = w.use && allowed.includes(w.use) ? w.use : closest(w.use ?? v, allowed.map(String), 1)[0];
          push(at, `${quote(v)} is not a type the platform accepts${use ? `; use ${quote(use)}` : ''}`, `${w.why}.${allowed.length > 1 ? ` Allowed here: ${orList(allowed, 20)}.` : ''}`, at, 'value');
          break;
        }
        const suggestion = typeof v === 'string' ? didYouMean(v, allowed.filter((a): a is string => typeof a === 'string')) : '';
        // A long list goes to the hint; the message keeps the suggestion.
        const long = allowed.length > 12;
        const list = allowed.length === 1 ? quote(allowed[0]) : long ? `one of ${allowed.length} allowed values` : `one of ${orList(allowed)}`;
        push(at, `${subject(at)} is ${shown(at, v)}, which is not allowed; expected ${list}${suggestion}`, long ? `Allowed values: ${allowed.map((a) => String(a)).join(', ')}.` : undefined, at, 'value');
        break;
      }
      case 'pattern': {
        const pattern = String(p.pattern);
        push(at, `${subject(at)} is ${shown(at, e.data)}, which is not ${explainPattern(pattern)}`, `The platform requires ${subject(at)} to match ${pattern}.`, at, 'value');
        break;
      }
      case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': {
        const limit = p.limit;
        const word = { minimum: `at least ${limit}`, maximum: `at most ${limit}`, exclusiveMinimum: `greater than ${limit}`, exclusiveMaximum: `less than ${limit}` }[e.keyword];
        push(at, `${subject(at)} is ${quote(e.data)}; it must be ${word}`, undefined, at, 'value');
        break;
      }
      case 'minLength': case 'maxLength': {
        const n = Number(p.limit);
        const word = e.keyword === 'minLength' ? (n === 1 ? 'must not be empty' : `must be at least ${n} characters long`) : `must be at most ${n} characters long`;
        push(at, `${subject(at)} ${word}`, undefined, at, 'value');
        break;
      }
      case 'minItems': case 'maxItems': {
        const n = Number(p.limit);
        const word = e.keyword === 'minItems' ? (n === 1 ? 'must not be empty' : `must have at least ${n} items`) : `must have at most ${n} item${n === 1 ? '' : 's'}`;
        push(at, `${subject(at)} ${word}`, undefined, at, 'value');
        break;
      }
      case 'uniqueItems':
        push(at, `${subject(at)} has the same item twice (items ${p.j} and ${p.i})`, undefined, [...at, Number(p.i)], 'value');
        break;
      case 'additionalItems':
        push(at, `${subject(at)} must have at most ${p.limit} items`, undefined, at, 'value');
        break;
      default:
        push(at, `${subject(at)} ${e.message ?? 'is not valid'}`, undefined, at, 'value');
    }
  }
  return out;
}

function describeBranch(b: Record<string, unknown>): string {
  if (typeof b.type === 'string') return JSON_TYPE_NAMES[b.type] ?? b.type;
  if (Array.isArray(b.enum)) return `one of ${orList(b.enum)}`;
  if (typeof b.$ref === 'string') return `a ${b.$ref.split('/').pop()}`;
  return 'an allowed form';
}
