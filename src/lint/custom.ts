// Lint: declarative organisation rules (policy `custom:` entries) compiled to ordinary rules that run on ajv.
import type { JsonPath } from '../core/diagnostic.ts';
import { formatPath, fromPointer, isRecord } from '../core/jsonpath.ts';
import { safeValue } from '../core/secrets.ts';
import { quote } from '../core/text.ts';
import { defineRule, type Rule } from './rule.ts';
import type { Validator } from '../validate/schemas.ts';

export interface CustomRuleSpec {
  id: string;
  description?: string;
  given: string[];
  path: string;
  schema: Record<string, unknown>;
  message: string;
  hint?: string;
  severity?: string;
}

type Segment = string | number | '*';

/** Parses `$`, `$.a.b`, `$.list[*].x`, `$.map.*`, `$["odd key"]` into segments. */
export function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith('$')) throw new Error(`a path starts with $, not "${path}"`);
  const out: Segment[] = [];
  const re = /\.([A-Za-z_$][\w$-]*|\*)|\[(\d+|\*|"(?:[^"\\]|\\.)*"|'[^']*')\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const start = re.lastIndex;
    const m = re.exec(path);
    if (!m || m.index !== start) throw new Error(`cannot read the path "${path}" at "${path.slice(start)}"`);
    const tok = m[1] ?? m[2];
    if (tok === '*') out.push('*');
    else if (/^\d+$/.test(tok)) out.push(Number(tok));
    else if (tok.startsWith('"')) out.push(JSON.parse(tok) as string);
    else if (tok.startsWith("'")) out.push(tok.slice(1, -1));
    else out.push(tok);
  }
  return out;
}

/** Every (path, value) the segments select in data; a missing final key selects `undefined` at that path. */
export function select(data: unknown, segments: Segment[]): { path: JsonPath; value: unknown }[] {
  let current: { path: JsonPath; value: unknown }[] = [{ path: [], value: data }];
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const next: { path: JsonPath; value: unknown }[] = [];
    for (const { path, value } of current) {
      if (seg === '*') {
        if (Array.isArray(value)) value.forEach((v, k) => next.push({ path: [...path, k], value: v }));
        else if (isRecord(value)) for (const [k, v] of Object.entries(value)) next.push({ path: [...path, k], value: v });
      } else if (Array.isArray(value) && typeof seg === 'number') {
        if (seg < value.length) next.push({ path: [...path, seg], value: value[seg] });
      } else if (isRecord(value)) {
        const key = String(seg);
        if (Object.hasOwn(value, key)) next.push({ path: [...path, key], value: value[key] });
        else if (last) next.push({ path: [...path, key], value: undefined });
      }
    }
    current = next;
  });
  return current;
}

export function compileCustomRule(spec: CustomRuleSpec, compile: (s: Record<string, unknown>) => Validator): Rule {
  const segments = parseJsonPath(spec.path);
  let validator: Validator | undefined;
  return defineRule({
    id: spec.id,
    meta: {
      description: spec.description ?? spec.message,
      appliesTo: spec.given,
      needs: 'document',
      recommended: 'off',
      messages: { custom: spec.message },
    },
    hints: spec.hint ? { custom: spec.hint } : undefined,
    check(manifest, ctx) {
      validator ??= compile(spec.schema);
      for (const { path, value } of select(manifest.data, segments)) {
        if (validator(value)) continue;
        // The outermost failure is the root cause (`contains` and `anyOf` also list every item's or branch's errors).
        const err = [...(validator.errors ?? [])].sort((a, b) => a.instancePath.length - b.instancePath.length)[0];
        let at: JsonPath = [...path, ...(err ? fromPointer(err.instancePath) : [])];
        if (err?.keyword === 'required') at = [...at, String((err.params as { missingProperty: string }).missingProperty)];
        ctx.report({ messageId: 'custom', path: value === undefined ? path : at, at: value !== null && typeof value !== 'object' && at.length === path.length ? 'value' : 'key', data: { value: quote(safeValue(path, value)), path: formatPath(path) } });
      }
    },
  });
}
