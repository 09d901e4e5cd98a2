// Schemas, property-based: for every manifest type, documents generated from its own schema pass validation, and one
// mutation of such a document (a required key removed, a key misspelt, an enum value replaced) fails it at that place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typeSchema } from '../../src/cli/schema-command.ts';
import { loadSchemaSet } from '../../src/validate/schemas.ts';

type Json = Record<string, unknown>;
type Path = (string | number)[];

const schemas = loadSchemaSet();
const TYPES = Object.keys(schemas.catalog.types).sort();
const RUNS = 20;

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const pointer = (path: Path) => path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

/** Builds fast-check arbitraries for the JSON Schema subset tfy-lint's schemas use. */
class Generator {
  private readonly memo = new Map<string, fc.Arbitrary<unknown>>();
  constructor(private readonly definitions: Json) {}

  /** Follows $ref, and the `allOf: [{$ref}]` wrapper pydantic puts around a property with a default. */
  deref(schema: Json): Json {
    let s = schema;
    for (let i = 0; i < 20; i++) {
      if (typeof s.$ref === 'string') s = this.definitions[s.$ref.slice('#/definitions/'.length)] as Json;
      else if (Array.isArray(s.allOf) && s.allOf.length === 1 && !(s.allOf[0] as Json).if && !s.type) s = s.allOf[0] as Json;
      else break;
    }
    return s;
  }

  arb(schema: Json): fc.Arbitrary<unknown> {
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref;
      if (!this.memo.has(name)) this.memo.set(name, this.arb(this.deref(schema)));
      return this.memo.get(name)!;
    }
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    const branches = Array.isArray(schema.allOf) ? schema.allOf as Json[] : [];
    const conditional = branches.filter((b) => b.if);
    if (conditional.length) {
      // A discriminated union: pick the discriminator's value, then generate that branch.
      return fc.oneof(...conditional.map((b) => this.arb(b.then as Json)));
    }
    if (branches.length === 1 && Object.keys(schema).every((k) => ['allOf', 'default', 'description'].includes(k))) return this.arb(branches[0]);
    if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as Json[]).map((b) => this.arb(b)));
    switch (schema.type) {
      case 'string': return this.string(schema);
      case 'integer': return fc.integer({ min: this.lower(schema, 1), max: typeof schema.maximum === 'number' ? schema.maximum : 100_000 });
      case 'number': return fc.oneof(
        fc.integer({ min: this.lower(schema, 1), max: typeof schema.maximum === 'number' ? schema.maximum : 100_000 }),
        fc.double({ min: this.lower(schema, 0.001), max: typeof schema.maximum === 'number' ? schema.maximum : 1000, noNaN: true, noDefaultInfinity: true }),
      );
      case 'boolean': return fc.boolean();
      case 'array': return fc.array(this.arb((schema.items ?? {}) as Json), { minLength: (schema.minItems as number | undefined) ?? 0, maxLength: 2 });
      case 'object': return this.object(schema);
      default: return fc.constant(null);
    }
  }

  private lower(schema: Json, step: number): number {
    if (typeof schema.minimum === 'number') return schema.minimum;
    if (typeof schema.exclusiveMinimum === 'number') return schema.exclusiveMinimum + step;
    return 0;
  }

  private string(schema: Json): fc.Arbitrary<string> {
    const min = (schema.minLength as number | undefined) ?? 0;
    const max = (schema.maxLength as number | undefined) ?? Infinity;
    if (typeof schema.pattern !== 'string') return fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 24)) });
    const exact = new RegExp(schema.pattern, 'u');
    // fast-check cannot generate from lookaheads; drop them, then repair the strings they would have excluded ("--").
    const generable = schema.pattern.replace(/\(\?![^()]*\)/g, '');
    return fc.stringMatching(new RegExp(generable))
      .map((s) => (generable === schema.pattern ? s : s.replace(/-{2,}/g, '-')))
      .filter((s) => exact.test(s) && s.length >= min && s.length <= max);
  }

  private object(schema: Json): fc.Arbitrary<unknown> {
    const props = (schema.properties ?? {}) as Record<string, Json>;
    const keys = Object.keys(props);
    if (!keys.length) {
      if (isObject(schema.additionalProperties)) {
        return fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), this.arb(schema.additionalProperties), { maxKeys: 2 });
      }
      return fc.constant({});
    }
    const required = ((schema.required ?? []) as string[]).filter((k) => keys.includes(k));
    return fc.record(Object.fromEntries(keys.map((k) => [k, this.arb(props[k])])), { requiredKeys: required });
  }
}

interface Site { kind: 'required' | 'misspell' | 'enum'; path: Path; key?: string }

/** The places of a valid document where one mutation must make it invalid, found by walking it with its schema. */
function mutationSites(gen: Generator, value: unknown, schema: Json, path: Path, out: Site[]): Site[] {
  const s = gen.deref(schema);
  const branches = Array.isArray(s.allOf) ? s.allOf as Json[] : [];
  for (const b of branches) {
    if (!b.if) { mutationSites(gen, value, b, path, out); continue; }
    const cond = (b.if as Json).properties as Record<string, Json>;
    const [d, { const: c }] = Object.entries(cond)[0];
    if (isObject(value) && value[d] === c) mutationSites(gen, value, b.then as Json, path, out);
  }
  if ((Array.isArray(s.enum) || 'const' in s) && typeof value === 'string') out.push({ kind: 'enum', path });
  if (isObject(value)) {
    const props = (s.properties ?? {}) as Record<string, Json>;
    for (const k of (s.required ?? []) as string[]) if (k in value) out.push({ kind: 'required', path, key: k });
    if (s.additionalProperties === false) out.push({ kind: 'misspell', path });
    for (const [k, v] of Object.entries(value)) {
      if (props[k]) mutationSites(gen, v, props[k], [...path, k], out);
      else if (isObject(s.additionalProperties)) mutationSites(gen, v, s.additionalProperties, [...path, k], out);
    }
  }
  if (Array.isArray(value) && isObject(s.items)) value.forEach((v, i) => mutationSites(gen, v, s.items as Json, [...path, i], out));
  return out;
}

function at(doc: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, p) => (v as Record<string | number, unknown>)[p], doc);
}

/** Applies one mutation to a copy of the document; returns it with the error ajv must then report. */
function mutate(doc: unknown, site: Site, objectSchema: (path: Path) => Json | undefined) {
  const copy = structuredClone(doc);
  const holder = at(copy, site.path) as Json;
  switch (site.kind) {
    case 'required':
      delete holder[site.key!];
      return { doc: copy, expect: { instancePath: pointer(site.path), keyword: 'required', param: ['missingProperty', site.key] as const } };
    case 'misspell': {
      // Rename an optional key (renaming a required one or a union's discriminator would be a different error); with
      // none present, add an unknown one.
      const target = objectSchema(site.path) ?? {};
      const known = new Set(Object.keys((target.properties ?? {}) as Json));
      const required = new Set((target.required ?? []) as string[]);
      const from = Object.keys(holder).find((k) => !required.has(k) && !known.has(`${k}x`));
      const typo = from ? `${from}x` : 'unknwon';
      if (from) { holder[typo] = holder[from]; delete holder[from]; } else holder[typo] = 1;
      return { doc: copy, expect: { instancePath: pointer(site.path), keyword: 'additionalProperties', param: ['additionalProperty', typo] as const } };
    }
    case 'enum': {
      const parent = at(copy, site.path.slice(0, -1)) as Record<string | number, unknown>;
      parent[site.path[site.path.length - 1]] = 'not-a-listed-value';
      return { doc: copy, expect: { instancePath: pointer(site.path), keyword: ['enum', 'const'], param: undefined } };
    }
  }
}

describe('documents generated from each type schema', () => {
  it.each(TYPES)('%s: generated documents are valid, mutated ones fail at the mutation', (type) => {
    const schema = typeSchema(schemas, type);
    const gen = new Generator((schema.definitions ?? {}) as Json);
    const validate = schemas.validator(type)!;
    const kinds = new Set<Site['kind']>();
    fc.assert(fc.property(gen.arb(schema), (doc) => {
      if (!validate(doc)) throw new Error(`generated ${type} document fails: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(doc)}`);
      // Every single mutation of the document, one at a time.
      for (const site of mutationSites(gen, doc, schema, [], [])) {
        kinds.add(site.kind);
        const { doc: bad, expect: want } = mutate(doc, site, (path) => resolveSchemaAt(gen, schema, doc, path));
        if (validate(bad)) throw new Error(`${site.kind} at ${pointer(site.path)} ${site.key ?? ''} was accepted:\n${JSON.stringify(bad)}`);
        const errors = validate.errors ?? [];
        const keywords = [want.keyword].flat();
        const hit = errors.some((e) => e.instancePath === want.instancePath && keywords.includes(e.keyword)
          && (!want.param || (e.params as Json)[want.param[0]] === want.param[1]));
        if (!hit) throw new Error(`${site.kind} at ${want.instancePath} not reported there; errors: ${JSON.stringify(errors.map((e) => [e.instancePath, e.keyword, e.params]))}`);
      }
    }), { numRuns: RUNS, seed: 20260413 });
    // Every type has required keys (at least "type"), a closed top level and an enum-like "type".
    expect([...kinds].sort()).toEqual(['enum', 'misspell', 'required']);
  });
});

/** The object schema that applies at `path` of a valid document (following unions by the document's values). */
function resolveSchemaAt(gen: Generator, schema: Json, doc: unknown, path: Path): Json | undefined {
  let s = gen.deref(schema);
  let v = doc;
  const settle = () => {
    for (let i = 0; i < 5; i++) {
      const branch = (Array.isArray(s.allOf) ? s.allOf as Json[] : []).find((b) => {
        if (!b.if) return false;
        const [d, { const: c }] = Object.entries((b.if as Json).properties as Record<string, Json>)[0];
        return isObject(v) && v[d] === c;
      });
      if (!branch) return;
      s = gen.deref(branch.then as Json);
    }
  };
  settle();
  for (const p of path) {
    const next = typeof p === 'number' ? s.items : ((s.properties ?? {}) as Json)[p] ?? s.additionalProperties;
    if (!isObject(next)) return undefined;
    s = gen.deref(next);
    v = (v as Record<string | number, unknown>)[p];
    settle();
  }
  return s;
}
