// Plan: the order in which apply sends a plan's changes: dependency levels derived from what refers to what.
import { isRecord } from '../core/jsonpath.ts';
import { holdsMasked } from '../core/mask.ts';
import { referencesOf } from './references.ts';
import type { Change } from './types.ts';

/**
 * The tier of a type when nothing in the plan says otherwise (DESIGN §6): what others name first, what names them
 * after. 0 secret groups, teams and virtual accounts; 1 provider accounts with their integrations; 2 virtual models;
 * 3 MCP servers and guardrail groups (and MCP server groups); 4 gateway configs. Deletes use the reverse.
 */
export function typeTier(type: string): number {
  if (type === 'secret-group' || type === 'team' || type === 'virtual-account') return 0;
  if (type === 'provider-account/virtual-model') return 2;
  if (type === 'provider-account/guardrail-config-group' || type === 'provider-account/mcp-server-group') return 3;
  if (type.startsWith('provider-account/')) return 1;
  if (type.startsWith('mcp-server/')) return 3;
  return 4;
}

const TIERS = 5;

/** The tier of a change: creates and updates by type, deletes after all of them in the reverse order. */
function baseRank(c: Change): number {
  const t = typeTier(c.type);
  return c.action === 'delete' ? TIERS + (TIERS - 1 - t) : t;
}

/** Names a document provides to others: `address:<account>/<integration>` (and slugs), `team:<n>`, ... */
function provided(type: string, name: string, data: Record<string, unknown> | undefined): Set<string> {
  const out = new Set<string>();
  if (type === 'team') out.add(`team:${name}`);
  else if (type === 'virtual-account') out.add(`virtualaccount:${name}`);
  else if (type === 'secret-group') out.add(`secret-group:${name}`);
  else if (type.startsWith('mcp-server/')) out.add(`mcp-server:${name}`);
  else if (type.startsWith('provider-account/') && data && Array.isArray(data.integrations)) {
    for (const i of data.integrations) {
      if (!isRecord(i) || typeof i.name !== 'string') continue;
      out.add(`address:${name}/${i.name}`);
      if (typeof i.slug === 'string' && i.slug) out.add(`address:${i.slug}`);
    }
  }
  return out;
}

const SUBJECT = /^(team|virtualaccount):(.+)$/;
const SECRET = /^tfy-secret:\/\/[^:]+:([^:]+):.+$/;

/**
 * Names a document uses: routing targets, guardrail selectors and virtual MCP sources (`address:`), models named in
 * rule conditions, team and virtual-account subjects, the secret groups of `tfy-secret://` references, owning teams.
 */
export function usedNames(data: Record<string, unknown> | undefined): Set<string> {
  const out = new Set<string>();
  if (!data) return out;
  for (const r of referencesOf(data)) out.add(`address:${r.address}`);
  const walk = (v: unknown, key: string | number | undefined, parent: string | number | undefined) => {
    if (typeof v === 'string') {
      const s = SUBJECT.exec(v);
      if (s && (key === 'subject' || parent === 'subjects' || parent === 'in' || parent === 'not_in')) out.add(`${s[1]}:${s[2]}`);
      const secret = SECRET.exec(v);
      if (secret) out.add(`secret-group:${secret[1]}`);
      if (parent === 'models' || key === 'model') out.add(`address:${v}`);
      if (key === 'team' && parent === 'ownedBy') out.add(`team:${v}`);
      return;
    }
    if (Array.isArray(v)) { for (const x of v) walk(x, key, key); return; }
    if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, k, key);
  };
  walk(data, undefined, undefined);
  return out;
}

/**
 * Groups a plan's changes into levels that are sent one after the other; the changes of one level do not depend on
 * each other and may run at once. Edges come from the documents themselves:
 * - a change that adds something others name (an account's integration, a team, a secret group, ...) runs before
 *   the changes whose new document names it;
 * - a change that stops naming something (an update that no longer routes to it, a delete) runs before the change
 *   that removes it (an account deleted, an integration dropped from an account).
 * Each change also keeps at least its type's tier (typeTier), so what the documents do not say still follows the
 * platform's usual order. A level is (tier, depth): an edge against the tiers moves the later change into the tier of
 * the earlier one, after it. Edges that would close a cycle are ignored (the platform will say what is wrong).
 * Within a level the changes keep their order in the plan.
 */
export function applyLevels(changes: readonly Change[], mustFollow: ReadonlyMap<Change, Change> = new Map()): Change[][] {
  const n = changes.length;
  const adds = new Map<string, number[]>();
  const removes = new Map<string, number[]>();
  const uses: Set<string>[] = [];
  const unuses: Set<string>[] = [];
  changes.forEach((c, i) => {
    const before = c.action === 'create' ? new Set<string>() : provided(c.type, c.name, c.before);
    const after = c.action === 'delete' ? new Set<string>() : provided(c.type, c.name, c.after);
    for (const p of after) if (!before.has(p)) push(adds, p, i);
    for (const p of before) if (!after.has(p)) push(removes, p, i);
    const usedBefore = c.action === 'create' ? new Set<string>() : usedNames(c.before);
    const usedAfter = c.action === 'delete' ? new Set<string>() : usedNames(c.after);
    uses.push(usedAfter);
    unuses.push(new Set([...usedBefore].filter((u) => !usedAfter.has(u))));
  });
  // deps[i]: the changes that must be sent before change i.
  const deps: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  changes.forEach((_, i) => {
    for (const u of uses[i]) for (const j of adds.get(u) ?? []) if (j !== i) deps[i].add(j);
    for (const u of unuses[i]) for (const j of removes.get(u) ?? []) if (j !== i) deps[j].add(i);
  });
  const index = new Map(changes.map((c, i) => [c, i]));
  for (const [later, earlier] of mustFollow) {
    const i = index.get(later);
    const j = index.get(earlier);
    if (i !== undefined && j !== undefined) deps[i].add(j);
  }
  const level: ([number, number] | undefined)[] = new Array(n);
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const visit = (start: number) => {
    // Iterative depth-first search (a plan may hold thousands of changes).
    const stack: { i: number; it: Iterator<number> }[] = [{ i: start, it: deps[start].values() }];
    state[start] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = top.it.next();
      if (!next.done) {
        const j = next.value;
        if (state[j] === 0) { state[j] = 1; stack.push({ i: j, it: deps[j].values() }); }
        else if (state[j] === 1) deps[top.i].delete(j); // closes a cycle: ignored
        continue;
      }
      stack.pop();
      let lv: [number, number] = [baseRank(changes[top.i]), 0];
      for (const j of deps[top.i]) {
        const d = level[j] as [number, number];
        const cand: [number, number] = [d[0], d[1] + 1];
        if (cand[0] > lv[0] || (cand[0] === lv[0] && cand[1] > lv[1])) lv = cand;
      }
      level[top.i] = lv;
      state[top.i] = 2;
    }
  };
  for (let i = 0; i < n; i++) if (state[i] === 0) visit(i);
  const groups = new Map<string, { key: [number, number]; items: Change[] }>();
  changes.forEach((c, i) => {
    const key = level[i] as [number, number];
    const k = `${key[0]}:${key[1]}`;
    const g = groups.get(k) ?? { key, items: [] };
    g.items.push(c);
    groups.set(k, g);
  });
  return [...groups.values()].sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]).map((g) => g.items);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The two steps an account update is sent in when one step cannot be ordered (see splitSwaps). */
export interface SplitUpdate {
  /** First step: the new account with the integrations it drops still in it. */
  keep: Change;
  /** Second step: the account as desired. */
  final: Change;
  /** The integrations the first step keeps, as the live document holds them (normal form). */
  kept: Record<string, unknown>[];
}

/**
 * Account updates that no single order can send: the update adds an integration that another change starts routing
 * to (so it must go first) and drops one that another change stops routing to (so it must go after). Such an update
 * is sent in two steps, like a create-before-destroy: first the new document with the dropped integrations kept,
 * then, after what stopped routing to them, the document as desired. Integrations holding a masked secret value are
 * never re-sent, so an update that would need that is left as one step (the platform then says what is wrong).
 */
export function splitSwaps(changes: readonly Change[]): SplitUpdate[] {
  const startsUsing = new Set<string>();
  const stopsUsing = new Set<string>();
  for (const c of changes) {
    const before = c.action === 'create' ? new Set<string>() : usedNames(c.before);
    const after = c.action === 'delete' ? new Set<string>() : usedNames(c.after);
    for (const u of after) startsUsing.add(u);
    for (const u of before) if (!after.has(u)) stopsUsing.add(u);
  }
  const out: SplitUpdate[] = [];
  for (const c of changes) {
    if (c.action !== 'update' || !c.type.startsWith('provider-account/') || !c.before || !c.after) continue;
    const before = provided(c.type, c.name, c.before);
    const after = provided(c.type, c.name, c.after);
    const added = [...after].filter((p) => !before.has(p) && startsUsing.has(p));
    const removed = [...before].filter((p) => !after.has(p) && stopsUsing.has(p));
    if (added.length === 0 || removed.length === 0) continue;
    const keptNames = new Set(removed.map((p) => p.slice(`address:${c.name}/`.length)));
    const kept = (Array.isArray(c.before.integrations) ? c.before.integrations : [])
      .filter((i): i is Record<string, unknown> => isRecord(i) && typeof i.name === 'string' && keptNames.has(i.name));
    if (kept.length === 0 || kept.some(holdsMasked)) continue;
    const union = { ...c.after, integrations: [...(Array.isArray(c.after.integrations) ? c.after.integrations : []), ...kept] };
    const keep: Change = { ...c, after: union, fields: [] };
    const final: Change = { ...c, before: union };
    out.push({ keep, final, kept });
  }
  return out;
}
