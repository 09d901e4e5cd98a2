// Project: the routing domain shared by several rules: how ordered gateway rule lists match requests (first match
// wins), where load-balance target lists live, and what a retry/fallback status code is.
import type { JsonPath } from '../core/diagnostic.ts';
import { isRecord } from '../core/jsonpath.ts';
import { safeValue } from '../core/secrets.ts';
import type { Manifest } from '../parse/manifest.ts';

// ---------------------------------------------------------------------------------------------------------------
// Rule order semantics
// ---------------------------------------------------------------------------------------------------------------

/**
 * How the platform evaluates a config's `rules` list:
 * - `first-match`: the first rule whose `when` matches a request applies, later ones are ignored (load balancing,
 *   rate limiting; DOMAIN.md §1.3, §1.5);
 * - `first-match-blocks`: the first matching rule decides allow/block, though cost is tracked against every matching
 *   rule (budget V1, §1.6.1);
 * - `unknown`: the order's meaning is not documented (guardrails, §1.7.2), so only order-independent checks apply.
 */
export type RuleOrder = 'first-match' | 'first-match-blocks' | 'unknown';

const RULE_ORDER: Readonly<Record<string, RuleOrder>> = {
  'gateway-load-balancing-config': 'first-match',
  'gateway-rate-limiting-config': 'first-match',
  'gateway-budget-config': 'first-match-blocks',
  'gateway-guardrails-config': 'unknown',
};

/** The manifest types whose `rules` are an ordered list of `{id, when, ...}` rules. */
export const ORDERED_RULE_TYPES: readonly string[] = Object.keys(RULE_ORDER);

export function ruleOrderOf(type: string | undefined): RuleOrder | undefined {
  return type !== undefined && Object.hasOwn(RULE_ORDER, type) ? RULE_ORDER[type] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The `when` model: a rule's conditions as a set of requests
// ---------------------------------------------------------------------------------------------------------------

/**
 * A set of requests, as a product: a caller whose subject strings meet `subjects`, asking for a model in `models`,
 * carrying at least the metadata pairs in `metadata`. `'any'` means the dimension is unconstrained.
 *
 * A caller is one principal, but it matches several subject strings (`user:<email>` and each `team:<name>` it belongs
 * to). Team membership is not known offline, so a finite subject set is compared as strings: `team:a` never covers
 * `user:b`. That errs towards reporting less, never more.
 */
export interface RequestSet {
  subjects: ReadonlySet<string> | 'any';
  models: ReadonlySet<string> | 'any';
  metadata: ReadonlyMap<string, string>;
}

/** One concrete request: a subject and a model (undefined: one that no rule names), and its exact metadata. */
export interface SampleRequest {
  subject?: string;
  model?: string;
  metadata: ReadonlyMap<string, string>;
}

/** The wildcard some manifests write for "every subject" / "every model". */
export const WILDCARD = '*';

/**
 * Reads a `when` mapping as a set of requests. An absent field matches everything; a list matches any of its
 * entries; `"*"` in a list is a wildcard. An empty list is ambiguous (nothing, or everything?): read `as: 'covering'`
 * it matches nothing (so it never hides later rules), read `as: 'covered'` it matches everything (so it is never
 * called unreachable). Undefined when `when` is not analysable (not a mapping, or a field of the wrong shape).
 */
export function readWhen(when: unknown, as: 'covering' | 'covered'): RequestSet | undefined {
  if (when === undefined || when === null) return { subjects: 'any', models: 'any', metadata: new Map() };
  if (!isRecord(when)) return undefined;
  const subjects = readList(when.subjects, as);
  const models = readList(when.models, as);
  const metadata = readMetadata(when.metadata);
  if (!subjects || !models || !metadata) return undefined;
  return { subjects, models, metadata };
}

function readList(v: unknown, as: 'covering' | 'covered'): ReadonlySet<string> | 'any' | undefined {
  if (v === undefined || v === null) return 'any';
  if (!Array.isArray(v)) return undefined;
  if (v.length === 0) return as === 'covering' ? new Set() : 'any';
  const out = new Set<string>();
  for (const x of v) {
    if (typeof x !== 'string') return undefined;
    if (x === WILDCARD) return 'any';
    out.add(x);
  }
  return out;
}

function readMetadata(v: unknown): Map<string, string> | undefined {
  if (v === undefined || v === null) return new Map();
  if (!isRecord(v)) return undefined;
  const out = new Map<string, string>();
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out.set(k, String(x));
    else return undefined;
  }
  return out;
}

export function isCatchAll(set: RequestSet): boolean {
  return set.subjects === 'any' && set.models === 'any' && set.metadata.size === 0;
}

/** Whether a set contains a request. */
export function containsRequest(set: RequestSet, r: SampleRequest): boolean {
  if (set.subjects !== 'any' && (r.subject === undefined || !set.subjects.has(r.subject))) return false;
  if (set.models !== 'any' && (r.model === undefined || !set.models.has(r.model))) return false;
  for (const [k, v] of set.metadata) if (r.metadata.get(k) !== v) return false;
  return true;
}

/**
 * The requests that stand for a whole set when asking "is all of it covered?": one per (subject, model) pair it
 * names, with a subject or model that no rule names where the set has no constraint, and exactly its own metadata
 * (extra metadata can only make more rules match). A set is inside a union of sets exactly when each of these
 * requests is in one of them. Undefined when there would be more than `limit`.
 */
export function representativeRequests(set: RequestSet, limit = 10_000): SampleRequest[] | undefined {
  const subjects = set.subjects === 'any' ? [undefined] : [...set.subjects];
  const models = set.models === 'any' ? [undefined] : [...set.models];
  if (subjects.length * models.length > limit) return undefined;
  const out: SampleRequest[] = [];
  for (const subject of subjects) for (const model of models) out.push({ subject, model, metadata: set.metadata });
  return out;
}

/** A request both sets certainly contain (subjects compared as strings, metadata must agree), if there is one. */
export function commonRequest(a: RequestSet, b: RequestSet): SampleRequest | undefined {
  const subject = pick(a.subjects, b.subjects);
  const model = pick(a.models, b.models);
  if (subject === null || model === null) return undefined;
  const metadata = new Map(a.metadata);
  for (const [k, v] of b.metadata) {
    if (metadata.has(k) && metadata.get(k) !== v) return undefined;
    metadata.set(k, v);
  }
  return { subject, model, metadata };
}

function pick(a: ReadonlySet<string> | 'any', b: ReadonlySet<string> | 'any'): string | undefined | null {
  if (a === 'any' && b === 'any') return undefined;
  if (a === 'any') return first(b as ReadonlySet<string>);
  if (b === 'any') return first(a);
  for (const x of a) if (b.has(x)) return x;
  return null;
}

function first(s: ReadonlySet<string>): string | null {
  for (const x of s) return x;
  return null;
}

/** "a request from team:ml for "openai-main/gpt-4o" with metadata env=prod" (or "any request"). */
export function describeRequest(r: SampleRequest): string {
  const parts: string[] = [];
  if (r.subject !== undefined) parts.push(`from ${r.subject}`);
  if (r.model !== undefined) parts.push(`for "${r.model}"`);
  // Metadata values are free text: one shaped like a credential (or under a credential-like key) is shown redacted.
  if (r.metadata.size) parts.push(`with metadata ${[...r.metadata].map(([k, v]) => `${k}=${String(safeValue(['metadata', k], v))}`).join(', ')}`);
  return parts.length ? `a request ${parts.join(' ')}` : 'any request';
}

// ---------------------------------------------------------------------------------------------------------------
// First-match analysis over an ordered list of rules
// ---------------------------------------------------------------------------------------------------------------

/**
 * One rule of an ordered list: `rules[index]` of `manifest`. A list may span several manifests: composition
 * (DESIGN.md §5) concatenates the rules of a singleton config's fragments in order and passes that list here.
 */
export interface RuleEntry { manifest: Manifest; index: number }

export type RuleOrderFinding =
  | { kind: 'duplicateId'; rule: RuleEntry; id: string; first: RuleEntry }
  /** A rule that matches every request, followed by rules it hides. */
  | { kind: 'catchAllNotLast'; rule: RuleEntry; id: string; hidden: RuleEntry[] }
  /** A rule no request reaches: `by` (one rule, or several together) take every request it matches. */
  | { kind: 'shadowed'; rule: RuleEntry; id: string; by: { rule: RuleEntry; id: string }[]; example: SampleRequest }
  /**
   * A rule sharing some requests with earlier rules that do something else with them, where neither contains the
   * other (an earlier rule inside a later one is the usual exception-first order; a later one inside is `shadowed`).
   */
  | { kind: 'overlap'; rule: RuleEntry; id: string; with: { rule: RuleEntry; id: string }[]; example: SampleRequest };

export interface RuleOrderOptions {
  /** Also report partial overlaps between rules with different outcomes. */
  overlaps?: boolean;
}

export function ruleAt(entry: RuleEntry): Record<string, unknown> | undefined {
  const rules = isRecord(entry.manifest.data) ? entry.manifest.data.rules : undefined;
  const rule = Array.isArray(rules) ? rules[entry.index] : undefined;
  return isRecord(rule) ? rule : undefined;
}

export function rulePath(entry: RuleEntry, ...rest: JsonPath): JsonPath {
  return ['rules', entry.index, ...rest];
}

interface Analysed {
  entry: RuleEntry;
  id: string;
  /** What the rule certainly takes when reached (as an earlier rule; empty lists match nothing). */
  taken: RequestSet;
  /** What the rule may match (as a later rule; empty lists match everything). */
  matches: RequestSet;
  /** What it does with the requests it takes (computed for overlaps only). */
  outcome?: string;
}

/**
 * Checks an ordered rule list of one config type: duplicate ids everywhere; for first-match configs also rules no
 * request can reach (covered by one earlier rule, or by several together), catch-all rules that are not last, and
 * (on request) partial overlaps with a different outcome. Rules whose `when` cannot be read are left out of the
 * analysis: they neither hide nor are hidden.
 */
export function analyseRuleOrder(rules: readonly RuleEntry[], options: RuleOrderOptions = {}): RuleOrderFinding[] {
  const out: RuleOrderFinding[] = [];
  const seenIds = new Map<string, RuleEntry>();
  for (const entry of rules) {
    const rule = ruleAt(entry);
    if (!rule || typeof rule.id !== 'string') continue;
    const firstEntry = seenIds.get(rule.id);
    if (firstEntry) out.push({ kind: 'duplicateId', rule: entry, id: rule.id, first: firstEntry });
    else seenIds.set(rule.id, entry);
  }
  const order = ruleOrderOf(rules[0]?.manifest.type);
  if (order !== 'first-match' && order !== 'first-match-blocks') return out;

  const analysed: Analysed[] = [];
  for (const entry of rules) {
    const rule = ruleAt(entry);
    if (!rule) continue;
    // Matching is by `when` alone (the documented evaluation: a request that fails a rule's `when` moves on to the
    // next rule): per-entity counting (`*_applies_per`) and target `metadata_match` do not take part in it.
    const taken = readWhen(rule.when, 'covering');
    const matches = readWhen(rule.when, 'covered');
    if (!taken || !matches || !isRecord(rule.when)) continue;
    analysed.push({ entry, id: typeof rule.id === 'string' ? rule.id : `#${entry.index}`, taken, matches });
  }

  // Earlier rules' taken sets, indexed by model so that long composed lists stay fast.
  const index = new TakenIndex();
  analysed.forEach((r, i) => {
    if (i > 0) {
      const shadow = findCover(r, index);
      if (shadow) {
        out.push({ kind: 'shadowed', rule: r.entry, id: r.id, by: shadow.by.map((j) => ({ rule: analysed[j].entry, id: analysed[j].id })), example: shadow.example });
      } else if (options.overlaps) {
        const overlap = findOverlap(r, analysed.slice(0, i));
        if (overlap) out.push({ kind: 'overlap', rule: r.entry, id: r.id, with: overlap.with.map((j) => ({ rule: analysed[j].entry, id: analysed[j].id })), example: overlap.example });
      }
    }
    index.add(i, r.taken);
  });

  // A catch-all before other rules, reported once at the catch-all (each hidden rule is reported as shadowed).
  const catchAll = analysed.findIndex((r) => isCatchAll(r.taken));
  if (catchAll !== -1 && catchAll < analysed.length - 1) {
    const r = analysed[catchAll];
    out.push({ kind: 'catchAllNotLast', rule: r.entry, id: r.id, hidden: analysed.slice(catchAll + 1).map((h) => h.entry) });
  }
  return out;
}

/**
 * The sets earlier rules take, in rule order, findable by the model and subject of a request: each set is listed
 * under every (model, subject) pair it names, with ANY standing for "every model" or "every subject". A request is
 * contained only by sets listed under its own pair or under the ANY pairs that cover it, so a long composed list in
 * which many rules name the same model (for different teams) is not scanned rule by rule.
 */
class TakenIndex {
  private readonly lists = new Map<string, { at: number; set: RequestSet }[]>();

  add(at: number, set: RequestSet) {
    const item = { at, set };
    for (const model of set.models === 'any' ? [ANY] : set.models) {
      for (const subject of set.subjects === 'any' ? [ANY] : set.subjects) {
        const key = pairKey(model, subject);
        const list = this.lists.get(key);
        if (list) list.push(item);
        else this.lists.set(key, [item]);
      }
    }
  }

  /**
   * The earliest rule with a set that satisfies `test`, among those that can contain a request for `model` from
   * `subject` (undefined: a model or subject no rule names, which only "every" covers).
   */
  earliest(model: string | undefined, subject: string | undefined, test: (set: RequestSet) => boolean): number | undefined {
    let best: number | undefined;
    const models = model === undefined ? [ANY] : [model, ANY];
    const subjects = subject === undefined ? [ANY] : [subject, ANY];
    for (const m of models) {
      for (const s of subjects) {
        for (const c of this.lists.get(pairKey(m, s)) ?? []) {
          if (best !== undefined && c.at >= best) break;
          if (test(c.set)) { best = c.at; break; }
        }
      }
    }
    return best;
  }
}

/** Stands for "every model" or "every subject" in TakenIndex (no model or subject name contains a NUL). */
const ANY = '\u0000';
const pairKey = (model: string, subject: string) => `${model}\u0000\u0000${subject}`;

function findCover(r: Analysed, index: TakenIndex): { by: number[]; example: SampleRequest } | undefined {
  const requests = representativeRequests(r.matches);
  if (!requests) return undefined;
  // One earlier rule covering it all is the clearest explanation.
  const single = index.earliest(requests[0].model, requests[0].subject, (s) => requests.every((req) => containsRequest(s, req)));
  if (single !== undefined) return { by: [single], example: requests[0] };
  const by = new Set<number>();
  for (const req of requests) {
    const hit = index.earliest(req.model, req.subject, (s) => containsRequest(s, req));
    if (hit === undefined) return undefined;
    by.add(hit);
  }
  return { by: [...by].sort((a, b) => a - b), example: requests[0] };
}

function findOverlap(r: Analysed, earlier: Analysed[]): { with: number[]; example: SampleRequest } | undefined {
  const hits: number[] = [];
  let example: SampleRequest | undefined;
  const outcome = (a: Analysed) => (a.outcome ??= outcomeOf(ruleAt(a.entry) ?? {}));
  earlier.forEach((e, j) => {
    // An earlier rule inside this one is the usual "exception first, general rule after" order: not worth a note.
    if (outcome(e) === outcome(r) || insideOf(e.matches, r.taken)) return;
    const common = commonRequest(e.taken, r.taken);
    if (common) {
      hits.push(j);
      example ??= common;
    }
  });
  return example ? { with: hits, example } : undefined;
}

/** Whether every request of `inner` is in `outer` (false when that is too costly to tell). */
function insideOf(inner: RequestSet, outer: RequestSet): boolean {
  const requests = representativeRequests(inner, 1000);
  return requests !== undefined && requests.every((req) => containsRequest(outer, req));
}

/** What a rule does with the requests it takes: everything but its id and conditions, canonically. */
function outcomeOf(rule: Record<string, unknown>): string {
  const { id: _id, when: _when, ...rest } = rule;
  return stableStringify(rest);
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

// ---------------------------------------------------------------------------------------------------------------
// Load-balance target lists
// ---------------------------------------------------------------------------------------------------------------

/** One `load_balance_targets` list: of a load-balancing rule or of a virtual model's routing_config. */
export interface TargetList {
  /** Path of the object holding `type` and `load_balance_targets` (the rule, or the routing_config). */
  path: JsonPath;
  /** "rule "chat-prod"" or "virtual model "chat"", for messages. */
  owner: string;
  strategy?: string;
  holder: Record<string, unknown>;
  targets: unknown[];
  /** For a virtual model: its integration, to read `model_types` and its address. */
  virtualModel?: { path: JsonPath; data: Record<string, unknown> };
}

/** Every target list of a load-balancing config or a virtual-model account (skipping ill-shaped parts). */
export function targetLists(manifest: Manifest): TargetList[] {
  const data = manifest.data;
  if (!isRecord(data)) return [];
  const out: TargetList[] = [];
  if (manifest.type === 'gateway-load-balancing-config' && Array.isArray(data.rules)) {
    data.rules.forEach((rule, i) => {
      if (!isRecord(rule) || !Array.isArray(rule.load_balance_targets)) return;
      out.push({
        path: ['rules', i], owner: typeof rule.id === 'string' ? `rule "${rule.id}"` : `rules[${i}]`,
        strategy: typeof rule.type === 'string' ? rule.type : undefined, holder: rule, targets: rule.load_balance_targets,
      });
    });
  }
  if (manifest.type === 'provider-account/virtual-model' && Array.isArray(data.integrations)) {
    data.integrations.forEach((vm, i) => {
      if (!isRecord(vm) || !isRecord(vm.routing_config) || !Array.isArray(vm.routing_config.load_balance_targets)) return;
      const rc = vm.routing_config;
      out.push({
        path: ['integrations', i, 'routing_config'], owner: typeof vm.name === 'string' ? `virtual model "${vm.name}"` : `integrations[${i}]`,
        strategy: typeof rc.type === 'string' ? rc.type : undefined, holder: rc, targets: rc.load_balance_targets as unknown[],
        virtualModel: { path: ['integrations', i], data: vm },
      });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Status codes
// ---------------------------------------------------------------------------------------------------------------

/** One list of HTTP status codes that trigger a retry (`retry`) or a fallback to another target. */
export interface StatusCodeList {
  path: JsonPath;
  /** How messages name the field: "retry_config.on_status_codes", "fallback_status_codes"... */
  field: string;
  retry: boolean;
  codes: unknown[];
}

/**
 * Every retry / fallback status-code list of a manifest: load-balance targets (load-balancing rules, virtual models),
 * pooled custom endpoints and the tenant's default retry settings.
 */
export function statusCodeLists(manifest: Manifest): StatusCodeList[] {
  const data = manifest.data;
  if (!isRecord(data)) return [];
  const out: StatusCodeList[] = [];
  const add = (holder: unknown, key: string, path: JsonPath, field: string, retry: boolean) => {
    if (isRecord(holder) && Array.isArray(holder[key])) out.push({ path: [...path, key], field, retry, codes: holder[key] as unknown[] });
  };
  for (const list of targetLists(manifest)) {
    list.targets.forEach((t, i) => {
      if (!isRecord(t)) return;
      const at = [...list.path, 'load_balance_targets', i];
      add(t.retry_config, 'on_status_codes', [...at, 'retry_config'], 'retry_config.on_status_codes', true);
      add(t, 'fallback_status_codes', at, 'fallback_status_codes', false);
    });
  }
  if (manifest.type === 'provider-account/custom-endpoint' && Array.isArray(data.integrations)) {
    data.integrations.forEach((e, i) => {
      if (isRecord(e)) add(e.loadbalancing_config, 'fallback_status_codes', ['integrations', i, 'loadbalancing_config'], 'fallback_status_codes', false);
    });
  }
  if (manifest.type === 'gateway-global-settings') add(data.retry_settings, 'on_status_codes', ['retry_settings'], 'retry_settings.on_status_codes', true);
  return out;
}

/** 4xx codes that a retry can fix: a timeout and a rate limit. */
export const RETRYABLE_CLIENT_ERRORS: readonly string[] = ['408', '429'];

export type StatusCodeReading =
  | { kind: 'code'; code: number }
  /** A class written as a pattern, e.g. "5xx" or "4XX". */
  | { kind: 'class'; digit: number }
  | { kind: 'invalid' };

/** Reads a status code as written in a manifest: exactly three digits, 100..599. */
export function readStatusCode(v: string): StatusCodeReading {
  if (/^[1-5][0-9]{2}$/.test(v)) return { kind: 'code', code: Number(v) };
  const cls = /^([1-5])(xx|XX|\*\*)$/.exec(v);
  if (cls) return { kind: 'class', digit: Number(cls[1]) };
  return { kind: 'invalid' };
}
