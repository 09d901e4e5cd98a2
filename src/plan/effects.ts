// Plan: who is affected by a change to a first-match rule list: the classes of requests whose rule, or what it does, changes.
//
// A class is a combination of subject, model and metadata values that the two lists tell apart. Rules compare those
// values for equality only, so every request that agrees with a class on the values the rules name meets the same
// rules: evaluating one representative request per class answers for all of them. Requests that meet no changed rule
// (added, removed, edited or moved out of the common order) keep their first match, so only the sets of changed rules
// are split into classes, each by the values of the rules that share requests with it.
import { isRecord } from '../core/jsonpath.ts';
import { safeValue } from '../core/secrets.ts';
import { stableJson } from '../live/normalise.ts';
import { commonRequest, containsRequest, readWhen, type RequestSet, type SampleRequest } from '../project/routing.ts';
import { movedKeys } from './diff.ts';
import type { FieldChange } from './types.ts';

export type EffectKind = 'rate-limit' | 'budget' | 'load-balancing' | 'virtual-model';

/** One dimension of a request class: exactly this value, or any value but these. Absent: not constrained. */
export type ClassValue = { is: string } | { not: string[] };

export interface RequestClass {
  subject?: ClassValue;
  model?: ClassValue;
  /** Metadata keys the rules name, each with a value or "any other value (or none)". */
  metadata: Record<string, ClassValue>;
}

/** A rule of a list: its id and its 1-based position. */
export interface RuleRef { id: string; position: number }

export interface RoutingOutcome {
  strategy: string;
  /** The targets eligible for the class, with their share in percent (weight-based) or their priority. */
  targets: { target: string; share?: number; priority?: number }[];
}

/** What happens to a class's requests under one list: the rule that takes them (none: no rule matches) and its effect. */
export interface Outcome {
  rule?: RuleRef;
  /** In words: `limit 300 rpm per user`, `budget 50 USD/day`, `blocked by "freeze-all"`, `routed 70/30 across a, b`. */
  text: string;
  routing?: RoutingOutcome;
}

export interface EffectClass {
  request: RequestClass;
  /** `requests from team:ml for "openai-main/gpt-4o" with metadata env=prod`. */
  description: string;
  before: Outcome;
  after: Outcome;
}

export interface ListEffects {
  kind: EffectKind;
  /** The list analysed, as a plan field path: `rules`, `integrations[name=chat].routing_config`. */
  path: string;
  /** The classes whose outcome changes, in the order found. */
  classes: EffectClass[];
  /** How many classes were evaluated. */
  considered: number;
  /**
   * When no class changes: `reordered` (the rules only moved) or `unchanged` (the rules changed in ways no request
   * notices, e.g. retry settings or a rule no request reaches).
   */
  note?: 'reordered' | 'unchanged';
  /** Set when the limits stopped the analysis: the classes listed are certain, others may change too. */
  cutShort?: { limit: 'classes' | 'steps'; value: number };
  /** Set when the list cannot be analysed (a rule whose `when` tfy-lint cannot read). */
  notAnalysed?: string;
}

export interface EffectLimits {
  /** Classes evaluated per list at most (default 1,000). */
  maxClasses?: number;
  /** Rule matches tried per list at most (default 2,000,000): bounds the work on lists of thousands of rules. */
  maxSteps?: number;
}

const DEFAULT_MAX_CLASSES = 1000;
const DEFAULT_MAX_STEPS = 2_000_000;

const KIND_OF_TYPE: Readonly<Record<string, EffectKind>> = {
  'gateway-rate-limiting-config': 'rate-limit',
  'gateway-budget-config': 'budget',
  'gateway-load-balancing-config': 'load-balancing',
  'provider-account/virtual-model': 'virtual-model',
};

/** The manifest types whose changes have effects to analyse. */
export const EFFECT_TYPES: readonly string[] = Object.keys(KIND_OF_TYPE);

/**
 * The effects of changing a document of `type` from `before` to `after` (normal forms): one entry per rule list (or
 * virtual model) that differs. Empty for other types and for lists that are the same.
 */
export function computeEffects(type: string, before: unknown, after: unknown, limits: EffectLimits = {}, fields?: readonly FieldChange[]): ListEffects[] {
  const kind = KIND_OF_TYPE[type];
  if (!kind || !isRecord(before) || !isRecord(after)) return [];
  if (kind === 'virtual-model') return virtualModelEffects(before, after, limits, fields);
  if (!fields) {
    if (stableJson(before.rules ?? []) === stableJson(after.rules ?? [])) return [];
    return [ruleListEffects(kind, before.rules, after.rules, limits)];
  }
  // The plan's field changes already say which rules differ (by id, moves included): no need to compare them again.
  const ruleFields = fields.filter((f) => f.segments[0] === 'rules');
  if (ruleFields.length === 0) return [];
  const byId = ruleFields.every((f) => typeof f.segments[1] === 'object');
  const hint = byId ? { ids: new Set(ruleFields.map((f) => (f.segments[1] as { value: string }).value)), onlyMoves: ruleFields.every((f) => f.kind === 'move') } : undefined;
  return [ruleListEffects(kind, before.rules, after.rules, limits, hint)];
}

/** Which rules differ (by id) and whether they only moved, when the caller knows it (the plan's field changes). */
export interface ChangedRules { ids: ReadonlySet<string>; onlyMoves: boolean }

// ---------------------------------------------------------------------------------------------------------------
// Rule lists
// ---------------------------------------------------------------------------------------------------------------

interface ParsedRule { id: string; position: number; raw: Record<string, unknown>; set: RequestSet }

function parseRules(list: unknown): ParsedRule[] | string {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return '`rules` is not a list';
  const out: ParsedRule[] = [];
  for (const [i, raw] of list.entries()) {
    const name = isRecord(raw) && typeof raw.id === 'string' ? `"${raw.id}"` : `rules[${i}]`;
    if (!isRecord(raw)) return `rule ${name} is not a mapping`;
    // Normal forms drop empty lists, so "empty" never has to be told from "absent" here.
    const set = readWhen(raw.when, 'covered');
    if (!set) return `the \`when\` of rule ${name} is not one tfy-lint can read`;
    out.push({ id: typeof raw.id === 'string' ? raw.id : `#${i + 1}`, position: i + 1, raw, set });
  }
  return out;
}

/**
 * The effects of replacing the first-match list `beforeList` with `afterList`. Exported for the property test, which
 * checks every class against a direct first-match evaluation of random requests.
 */
export function ruleListEffects(kind: EffectKind, beforeList: unknown, afterList: unknown, limits: EffectLimits = {}, known?: ChangedRules): ListEffects {
  const base: ListEffects = { kind, path: 'rules', classes: [], considered: 0 };
  const before = parseRules(beforeList);
  const after = parseRules(afterList);
  if (typeof before === 'string' || typeof after === 'string') return { ...base, notAnalysed: typeof before === 'string' ? `live: ${before}` : after as string };

  const { changed, onlyMoves } = known
    ? { changed: [...after, ...before].filter((r) => known.ids.has(r.id)), onlyMoves: known.onlyMoves }
    : changedRules(before, after);
  const all = [...before, ...after];
  const seen = new Set<string>();
  const maxClasses = limits.maxClasses ?? DEFAULT_MAX_CLASSES;
  const budget = { steps: limits.maxSteps ?? DEFAULT_MAX_STEPS };
  let cutShort: ListEffects['cutShort'];
  // Classes of different rules' splits may overlap: a class whose representative lies in one already evaluated lies
  // wholly inside the set of the rule that split it, all of whose classes were evaluated (see dimensions()).
  // Classes of one split never overlap each other: only those of earlier splits need checking.
  const earlier: RequestClass[] = [];
  const current: RequestClass[] = [];
  const beforeIndex = new ModelIndex(before);
  const afterIndex = new ModelIndex(after);
  // A split depends only on the rule's conditions: a rule moved or edited without touching its `when` splits as before.
  const splitDone = new Set<string>();
  outer: for (const r of changed) {
    const whenKey = stableJson(r.raw.when ?? null);
    if (splitDone.has(whenKey)) continue;
    splitDone.add(whenKey);
    earlier.push(...current);
    current.length = 0;
    // Finding the rules that share requests with this one reads every rule: that counts as work too.
    if (budget.steps <= 0) { cutShort = { limit: 'steps', value: limits.maxSteps ?? DEFAULT_MAX_STEPS }; break; }
    budget.steps -= all.length;
    const related = all.filter((q) => q === r || commonRequest(r.set, q.set) !== undefined);
    const dims = dimensions(r.set, related.map((q) => q.set), kind === 'load-balancing' ? related.flatMap((q) => targetMatches(q.raw.load_balance_targets)) : []);
    for (const cls of product(dims)) {
      // Every class looked at counts against the work bound, evaluated or skipped (a split can be far larger than
      // the classes it adds).
      if (budget.steps <= 0) { cutShort = { limit: 'steps', value: limits.maxSteps ?? DEFAULT_MAX_STEPS }; break outer; }
      budget.steps -= 1 + earlier.length;
      const key = stableJson(cls);
      if (seen.has(key)) continue;
      seen.add(key);
      const request = representative(cls);
      if (earlier.some((e) => classContains(e, request))) continue;
      if (base.considered >= maxClasses) { cutShort = { limit: 'classes', value: maxClasses }; break outer; }
      current.push(cls);
      base.considered++;
      const b = beforeIndex.firstMatch(request, budget);
      const a = afterIndex.firstMatch(request, budget);
      const ob = outcomeOf(kind, b, request.metadata);
      const oa = outcomeOf(kind, a, request.metadata);
      if (b?.id === a?.id && ob.text === oa.text) continue;
      base.classes.push({ request: cls, description: describeClass(cls), before: ob, after: oa });
    }
  }
  if (cutShort) return { ...base, cutShort };
  if (base.classes.length === 0) return { ...base, note: onlyMoves ? 'reordered' : 'unchanged' };
  return base;
}

/**
 * The rules that may change a request's first match: those not in both lists with the same content and in the same
 * relative order (the longest common order, as the plan's moves). Without usable ids every rule counts as changed.
 */
function changedRules(before: ParsedRule[], after: ParsedRule[]): { changed: ParsedRule[]; onlyMoves: boolean } {
  const unique = (list: ParsedRule[]) => new Set(list.map((r) => r.id)).size === list.length && list.every((r) => !r.id.startsWith('#'));
  if (!unique(before) || !unique(after)) return { changed: [...after, ...before], onlyMoves: false };
  const beforeById = new Map(before.map((r) => [r.id, r]));
  const afterById = new Map(after.map((r) => [r.id, r]));
  const moved = movedKeys(before.filter((r) => afterById.has(r.id)).map((r) => r.id), after.filter((r) => beforeById.has(r.id)).map((r) => r.id));
  const content = new Map<ParsedRule, string>();
  const contentOf = (r: ParsedRule | undefined) => {
    if (!r) return undefined;
    let c = content.get(r);
    if (c === undefined) { c = stableJson(r.raw); content.set(r, c); }
    return c;
  };
  const same = (r: ParsedRule) => contentOf(beforeById.get(r.id)) === contentOf(afterById.get(r.id));
  const stable = (r: ParsedRule) => same(r) && !moved.has(r.id);
  const changed = [...after.filter((r) => !stable(r)), ...before.filter((r) => !stable(r))];
  const onlyMoves = before.length === after.length && before.every((r) => afterById.has(r.id) && same(r));
  return { changed, onlyMoves };
}

/** A rule list indexed by model, so that a request meets only the rules that can match its model. */
class ModelIndex {
  private readonly anyModel: ParsedRule[] = [];
  private readonly byModel = new Map<string, ParsedRule[]>();

  constructor(list: readonly ParsedRule[]) {
    for (const r of list) {
      if (r.set.models === 'any') { this.anyModel.push(r); continue; }
      for (const m of r.set.models) {
        const l = this.byModel.get(m);
        if (l) l.push(r); else this.byModel.set(m, [r]);
      }
    }
  }

  /** The first rule that matches `request` (undefined: none), in list order, counting the rules tried. */
  firstMatch(request: SampleRequest, budget: { steps: number }): ParsedRule | undefined {
    const a = this.anyModel;
    const b = request.model === undefined ? [] : (this.byModel.get(request.model) ?? []);
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const r = j >= b.length || (i < a.length && a[i].position < b[j].position) ? a[i++] : b[j++];
      budget.steps--;
      if (containsRequest(r.set, request)) return r;
    }
    return undefined;
  }
}

type Dimension = (ClassValue | undefined)[];
interface Dimensions { subject: Dimension; model: Dimension; metadata: [string, Dimension][] }

/**
 * How a rule's set splits into classes: on each dimension the rule leaves open, the values the related rules name
 * (and "any other"); where the rule names values, each of them. `extraPairs` are further metadata pairs the outcome
 * depends on (load-balance targets' metadata_match).
 */
function dimensions(own: RequestSet, related: readonly RequestSet[], extraPairs: readonly [string, string][]): Dimensions {
  const axis = (mine: RequestSet['subjects'], theirs: RequestSet['subjects'][]): Dimension => {
    if (mine !== 'any') return [...mine].sort().map((is) => ({ is }));
    const named = [...new Set(theirs.flatMap((s) => (s === 'any' ? [] : [...s])))].sort();
    return named.length ? [...named.map((is) => ({ is })), { not: named }] : [undefined];
  };
  const values = new Map<string, Set<string>>();
  const note = (k: string, v: string) => { const s = values.get(k) ?? new Set<string>(); s.add(v); values.set(k, s); };
  for (const s of related) for (const [k, v] of s.metadata) note(k, v);
  for (const [k, v] of extraPairs) note(k, v);
  const metadata: [string, Dimension][] = [...values.keys()].sort().map((k) => {
    const fixed = own.metadata.get(k);
    if (fixed !== undefined) return [k, [{ is: fixed }]];
    const named = [...(values.get(k) as Set<string>)].sort();
    return [k, [...named.map((is) => ({ is })), { not: named }]];
  });
  return { subject: axis(own.subjects, related.map((s) => s.subjects)), model: axis(own.models, related.map((s) => s.models)), metadata };
}

/** Every class of a split, lazily (the product can be large; the caller stops early). */
function* product(d: Dimensions): Generator<RequestClass> {
  const axes: Dimension[] = [d.subject, d.model, ...d.metadata.map(([, v]) => v)];
  const at = axes.map(() => 0);
  for (;;) {
    const cls: RequestClass = { metadata: {} };
    const subject = d.subject[at[0]];
    const model = d.model[at[1]];
    if (subject) cls.subject = subject;
    if (model) cls.model = model;
    const meta: [string, ClassValue][] = [];
    d.metadata.forEach(([k], i) => { const v = axes[i + 2][at[i + 2]]; if (v) meta.push([k, v]); });
    cls.metadata = Object.fromEntries(meta);
    yield cls;
    let i = axes.length - 1;
    while (i >= 0 && ++at[i] >= axes[i].length) at[i--] = 0;
    if (i < 0) return;
  }
}

/** A request standing for a class: its fixed values, and a subject, model or metadata value no rule names elsewhere. */
function representative(cls: RequestClass): SampleRequest {
  const metadata = new Map<string, string>();
  for (const [k, v] of Object.entries(cls.metadata)) if ('is' in v) metadata.set(k, v.is);
  return {
    subject: cls.subject && 'is' in cls.subject ? cls.subject.is : undefined,
    model: cls.model && 'is' in cls.model ? cls.model.is : undefined,
    metadata,
  };
}

/** Whether a concrete request belongs to a class. */
export function classContains(cls: RequestClass, r: SampleRequest): boolean {
  const fits = (v: ClassValue | undefined, x: string | undefined) => !v || ('is' in v ? x === v.is : x === undefined || !v.not.includes(x));
  if (!fits(cls.subject, r.subject) || !fits(cls.model, r.model)) return false;
  return Object.entries(cls.metadata).every(([k, v]) => fits(v, r.metadata.get(k)));
}

/** `requests from team:ml for "openai-main/gpt-4o" with metadata env=prod, tier not gold/silver`. */
export function describeClass(cls: RequestClass, noun = 'requests'): string {
  const parts: string[] = [];
  if (cls.subject) parts.push('is' in cls.subject ? `from ${cls.subject.is}` : 'from any other subject');
  if (cls.model) parts.push('is' in cls.model ? `for "${cls.model.is}"` : 'for any other model');
  // Metadata values are free text: one shaped like a credential (or under a credential-like key) is shown redacted.
  const shown = (k: string, v: string) => String(safeValue(['metadata', k], v));
  const meta = Object.entries(cls.metadata).map(([k, v]) => ('is' in v ? `${k}=${shown(k, v.is)}` : `${k} not ${v.not.map((x) => shown(k, x)).join('/')}`));
  if (meta.length) parts.push(`with metadata ${meta.join(', ')}`);
  return parts.length ? `${noun} ${parts.join(' ')}` : `every request`;
}

// ---------------------------------------------------------------------------------------------------------------
// Outcomes in words
// ---------------------------------------------------------------------------------------------------------------

const RATE_UNITS: Readonly<Record<string, string>> = {
  requests_per_minute: 'rpm', requests_per_hour: 'requests/hour', requests_per_day: 'requests/day',
  tokens_per_minute: 'tokens/minute', tokens_per_hour: 'tokens/hour', tokens_per_day: 'tokens/day',
};
const BUDGET_UNITS: Readonly<Record<string, string>> = {
  cost_per_day: 'USD/day', cost_per_week: 'USD/week', cost_per_month: 'USD/month', cost_per_quarter: 'USD/quarter',
  tokens_per_day: 'tokens/day', tokens_per_month: 'tokens/month',
};

function perWhat(v: unknown): string {
  if (!Array.isArray(v) || v.length === 0) return '';
  const words = v.map((x) => (x === 'virtualaccount' ? 'virtual account' : String(x)));
  return ` per ${words.join(' and ')}`;
}

/** A limit as people write it: `300`, `2,000,000`, `0.5`. */
function amount(v: unknown): string {
  if (typeof v !== 'number') return JSON.stringify(v) ?? '?';
  return Math.abs(v) >= 10_000 ? v.toLocaleString('en-US', { maximumFractionDigits: 6 }) : String(v);
}

function outcomeOf(kind: EffectKind, rule: ParsedRule | undefined, metadata: ReadonlyMap<string, string>): Outcome {
  const ref = rule ? { rule: { id: rule.id, position: rule.position } } : {};
  if (kind === 'rate-limit') {
    if (!rule) return { text: 'no limit' };
    const unit = typeof rule.raw.unit === 'string' ? (RATE_UNITS[rule.raw.unit] ?? rule.raw.unit) : '(no unit)';
    return { ...ref, text: `limit ${amount(rule.raw.limit_to)} ${unit}${perWhat(rule.raw.rate_limit_applies_per)}` };
  }
  if (kind === 'budget') {
    if (!rule) return { text: 'no budget' };
    const audit = rule.raw.audit_mode === true;
    if (rule.raw.limit_to === 0 && !audit) return { ...ref, text: `blocked by "${rule.id}"` };
    const unit = typeof rule.raw.unit === 'string' ? (BUDGET_UNITS[rule.raw.unit] ?? rule.raw.unit) : '(no unit)';
    return { ...ref, text: `budget ${amount(rule.raw.limit_to)} ${unit}${perWhat(rule.raw.budget_applies_per)}${audit ? ' (audit only: never blocks)' : ''}` };
  }
  if (!rule) return { text: 'not load-balanced (sent to the model asked for)' };
  const routing = routingOf(rule.raw.type, rule.raw.load_balance_targets, metadata);
  return { ...ref, text: routingText(routing), routing };
}

/** Targets with a metadata_match, as `[key, value]` pairs: the outcome depends on them. */
function targetMatches(targets: unknown): [string, string][] {
  if (!Array.isArray(targets)) return [];
  return targets.flatMap((t) => (isRecord(t) && isRecord(t.metadata_match)
    ? Object.entries(t.metadata_match).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)).map(([k, v]) => [k, String(v)] as [string, string])
    : []));
}

/** The targets a request with this metadata may be sent to (a target with metadata_match only when all of it agrees). */
function routingOf(strategy: unknown, targets: unknown, metadata: ReadonlyMap<string, string>): RoutingOutcome {
  const list = (Array.isArray(targets) ? targets : []).filter((t): t is Record<string, unknown> => isRecord(t) && typeof t.target === 'string')
    .filter((t) => !isRecord(t.metadata_match) || Object.entries(t.metadata_match).every(([k, v]) => metadata.get(k) === String(v)));
  const kind = typeof strategy === 'string' ? strategy : 'unknown';
  if (kind === 'weight-based-routing') {
    const total = list.reduce((s, t) => s + (typeof t.weight === 'number' ? t.weight : 0), 0);
    return { strategy: kind, targets: list.map((t) => ({ target: t.target as string, share: total > 0 ? Math.round(((typeof t.weight === 'number' ? t.weight : 0) / total) * 1000) / 10 : 0 })) };
  }
  if (kind === 'priority-based-routing') {
    const sorted = list.map((t, i) => ({ t, i, p: typeof t.priority === 'number' ? t.priority : 0 })).sort((a, b) => a.p - b.p || a.i - b.i);
    return { strategy: kind, targets: sorted.map(({ t, p }) => ({ target: t.target as string, priority: p })) };
  }
  return { strategy: kind, targets: list.map((t) => ({ target: t.target as string })) };
}

/** `routed 70/30 across a, b`, `routed to a, falling back to b`, `routed to the fastest of a, b`. */
export function routingText(r: RoutingOutcome): string {
  const names = r.targets.map((t) => t.target);
  if (names.length === 0) return 'no eligible target';
  if (names.length === 1) return `routed to ${names[0]}`;
  if (r.strategy === 'weight-based-routing') return `routed ${r.targets.map((t) => t.share).join('/')} across ${names.join(', ')}`;
  if (r.strategy === 'priority-based-routing') return `routed to ${names[0]}, falling back to ${names.slice(1).join(', ')}`;
  if (r.strategy === 'latency-based-routing') return `routed to the fastest of ${names.join(', ')}`;
  return `routed to ${names.join(', ')} (${r.strategy})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Virtual models: the routing of each model, split by the metadata its targets match on
// ---------------------------------------------------------------------------------------------------------------

function virtualModelEffects(before: Record<string, unknown>, after: Record<string, unknown>, limits: EffectLimits, fields?: readonly FieldChange[]): ListEffects[] {
  if (fields && !fields.some((f) => f.segments[0] === 'integrations')) return [];
  const byName = (doc: Record<string, unknown>) => new Map((Array.isArray(doc.integrations) ? doc.integrations : [])
    .filter((i): i is Record<string, unknown> => isRecord(i) && typeof i.name === 'string' && isRecord(i.routing_config))
    .map((i) => [i.name as string, i.routing_config as Record<string, unknown>]));
  const b = byName(before);
  const a = byName(after);
  const account = typeof after.name === 'string' ? after.name : String(before.name);
  const maxClasses = limits.maxClasses ?? DEFAULT_MAX_CLASSES;
  const out: ListEffects[] = [];
  for (const [name, rcAfter] of a) {
    const rcBefore = b.get(name);
    if (!rcBefore || stableJson(rcBefore) === stableJson(rcAfter)) continue;
    const effects: ListEffects = { kind: 'virtual-model', path: `integrations[name=${name}].routing_config`, classes: [], considered: 0 };
    const pairs = [...targetMatches(rcBefore.load_balance_targets), ...targetMatches(rcAfter.load_balance_targets)];
    const dims = dimensions({ subjects: 'any', models: new Set([`${account}/${name}`]), metadata: new Map() }, [], pairs);
    for (const cls of product(dims)) {
      if (effects.considered >= maxClasses) { effects.cutShort = { limit: 'classes', value: maxClasses }; break; }
      effects.considered++;
      const { metadata } = representative(cls);
      const rb = routingOf(rcBefore.type, rcBefore.load_balance_targets, metadata);
      const ra = routingOf(rcAfter.type, rcAfter.load_balance_targets, metadata);
      const ob: Outcome = { text: routingText(rb), routing: rb };
      const oa: Outcome = { text: routingText(ra), routing: ra };
      if (ob.text !== oa.text) effects.classes.push({ request: cls, description: describeClass(cls), before: ob, after: oa });
    }
    if (!effects.classes.length && !effects.cutShort) effects.note = 'unchanged';
    out.push(effects);
  }
  return out;
}
