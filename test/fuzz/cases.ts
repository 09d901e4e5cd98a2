// Fuzz cases: the base documents (fixtures, the benchmark corpus, the real-world corpus) and fast-check arbitraries that
// mutate them, generate YAML from scratch, and plant secrets of every provider format.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { REPO, SHARED } from '../helpers.ts';
import { ALL_KINDS } from '../../src/live/kinds.ts';
import { plantedSecrets, type PlantedSecret } from '../support/secrets.ts';
import type { PipelineCase, PlanCase } from './target.ts';

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'seeds') out.push(...yamlFiles(p));
    else if (e.isFile() && /\.ya?ml$/.test(e.name) && statSync(p).size < 200_000) out.push(p);
  }
  return out.sort();
}

export interface BaseText { origin: string; text: string }

/**
 * The texts mutations start from: every fixture, every real-world corpus file (when ../shared is there) and a small
 * benchmark corpus generated with the shared generator (same seed, same bytes).
 */
export function baseTexts(opts: { bench?: boolean } = {}): BaseText[] {
  const read = (root: string, label: string) => yamlFiles(root).map((p) => ({ origin: `${label}/${relative(root, p)}`, text: readFileSync(p, 'utf8') }));
  const texts = [...read(join(REPO, 'fixtures'), 'fixtures'), ...read(join(SHARED, 'corpus', 'real-world'), 'real-world')];
  const gen = join(SHARED, 'bench', 'gen-corpus.mjs');
  if (opts.bench !== false && existsSync(gen)) {
    const out = mkdtempSync(join(tmpdir(), 'tfy-fuzz-bench-'));
    try {
      execFileSync(process.execPath, [gen, join(out, 'corpus'), '--files', '40', '--seed', 'fuzz', '--defect-rate', '0.2'], { cwd: REPO, stdio: 'ignore' });
      texts.push(...read(join(out, 'corpus'), 'bench'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return texts;
}

/** Fragments that mean something to YAML or to tfy-lint, inserted anywhere. */
const TOKENS = [
  ':', ': ', '- ', '\n', '\n  ', '  ', '\t', '&a ', '*a', '<<: *a\n', '!!str ', '!!binary ', '!!int ', '!custom ', '? ', '|\n', '>-\n', '"', "'", '#', ' # x',
  '---\n', '...\n', '{', '}', '[', ']', ',', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '\ufeff', '\u0000', '\r', '\r\n', '\u2028', '\u0085', 'é', '😀', '\ud800',
  '__proto__: 1\n', 'constructor: {}\n', 'prototype: x\n', '~', 'null', 'y', 'n', 'NO', '0x1F', '0o17', '017', '1e3', '.inf', '-.nan', '1_000', '12:30:00',
  '2026-01-01', '<<: {a: 1}\n', 'type: provider-account/openai\n', 'name: x\n', 'rules: []\n', 'integrations:\n- ', 'weight: 50\n',
  'tfy-secret://acme:grp:KEY', '# tfy-lint-disable-next-line no-raw-secrets -- why\n', '# tfy-lint-disable-file\n', '\\', '\\u0000', '"\\x00"',
];

/** Long or deep text: sizes that break naive code (kept small enough that a good run stays fast). */
const BIG = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 1, max: 2000 }).map((n) => '['.repeat(n)),
  fc.integer({ min: 1, max: 2000 }).map((n) => '{a: '.repeat(n)),
  fc.integer({ min: 1, max: 500 }).map((n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')),
  // Many alias uses: up to 2,000 in a campaign; fewer in the normal suite until alias resolution is linear (see the
  // harden-parse branch: 2,000 uses of one anchor take seconds per command before it).
  fc.integer({ min: 1, max: process.env.TFY_FUZZ_CAMPAIGN === '1' ? 2000 : 150 }).map((n) => `x: &a [1]\n${Array.from({ length: n }, (_, i) => `y${i}: *a`).join('\n')}\n`),
  fc.integer({ min: 1, max: 300 }).map((n) => '---\n'.repeat(n)),
);

type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate-line'; at: number }
  | { op: 'swap-lines'; at: number; other: number }
  | { op: 'indent'; at: number; by: number }
  | { op: 'plant'; at: number; secret: number; how: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fraction, text: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 2, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) }, { weight: 1, arbitrary: BIG }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fraction }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate-line' as const), at: fraction }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('swap-lines' as const), at: fraction, other: fraction }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('indent' as const), at: fraction, by: fc.integer({ min: -4, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('plant' as const), at: fraction, secret: fc.nat(), how: fc.nat() }) },
);

const SECRETS = plantedSecrets(3);

/** Ways a secret lands in a YAML file: under a credential key, in prose, in a URL, a header, a comment, a list. */
function plantLine(s: PlantedSecret, how: number, indent: string): string {
  const v = s.value;
  const quoted = JSON.stringify(v);
  const forms = [
    `${indent}api_key: ${quoted}`,
    `${indent}description: ${JSON.stringify(`the key is ${v} (rotate it)`)}`,
    `${indent}model_id: ${quoted}`,
    `${indent}# old key: ${v.split('\n')[0]}`,
    `${indent}base_url: ${JSON.stringify(`https://proxy.acme.example/v1?api_key=${v}`)}`,
    `${indent}headers:\n${indent}  Authorization: ${JSON.stringify(`Bearer ${v}`)}`,
    `${indent}auth_data: {type: api-key, api_key: ${quoted}}`,
    `${indent}aws_secret_access_key: ${quoted}`,
    `${indent}token: |\n${v.split('\n').map((l) => `${indent}  ${l}`).join('\n')}`,
    `${indent}tags: {owner: ${quoted}}`,
  ];
  // A value without a key format is a secret only under a credential key: plant it only there.
  const credentialForms = [0, 5, 6, 7, 8];
  return s.recognisable ? forms[how % forms.length] : forms[credentialForms[how % credentialForms.length]];
}

export function mutate(text: string, mutations: readonly Mutation[], planted: Set<PlantedSecret>): string {
  let t = text;
  const pos = (f: number) => Math.min(t.length, Math.floor(f * (t.length + 1)));
  // Secrets are planted last, so that no later mutation cuts one into a string that is no longer a secret.
  const ordered = [...mutations.filter((m) => m.op !== 'plant'), ...mutations.filter((m) => m.op === 'plant')];
  for (const m of ordered) {
    const lines = t.split('\n');
    const line = (f: number) => Math.min(lines.length - 1, Math.floor(f * lines.length));
    switch (m.op) {
      case 'insert': { const p = pos(m.at); t = t.slice(0, p) + m.text + t.slice(p); break; }
      case 'delete': { const p = pos(m.at); t = t.slice(0, p) + t.slice(p + m.length); break; }
      case 'truncate': t = t.slice(0, pos(m.at)); break;
      case 'duplicate-line': { const i = line(m.at); lines.splice(i, 0, lines[i]); t = lines.join('\n'); break; }
      case 'swap-lines': { const i = line(m.at); const j = line(m.other); [lines[i], lines[j]] = [lines[j], lines[i]]; t = lines.join('\n'); break; }
      case 'indent': {
        const i = line(m.at);
        lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-m.by}}`), '');
        t = lines.join('\n');
        break;
      }
      case 'plant': {
        const s = SECRETS[m.secret % SECRETS.length];
        planted.add(s);
        const i = line(m.at);
        const indent = /^\s*(?:- )?/.exec(lines[i])?.[0].replace('-', ' ') ?? '';
        lines.splice(i + 1, 0, plantLine(s, m.how, indent));
        t = lines.join('\n');
        break;
      }
    }
  }
  return t;
}

/** Documents written from scratch: random JSON under a known or random type, as YAML. */
const TYPES = ['provider-account/openai', 'provider-account/virtual-model', 'gateway-rate-limiting-config', 'gateway-load-balancing-config',
  'gateway-budget-config', 'gateway-guardrails-config', 'mcp-server/remote', 'team', 'virtual-account', 'guardrail-group', 'role', 'nope'];

const scratchDocument = fc.record({
  type: fc.oneof(fc.constantFrom(...TYPES), fc.string({ maxLength: 8 })),
  name: fc.oneof(fc.constantFrom('a', 'b', 'openai', 'x'.repeat(300), ''), fc.string({ maxLength: 10 })),
  rest: fc.dictionary(fc.oneof(fc.constantFrom('integrations', 'rules', 'when', 'auth_data', 'collaborators', 'members', 'targets', 'load_balance_targets', '__proto__', 'constructor'), fc.string({ maxLength: 6 })),
    fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }),
}).map(({ type, name, rest }) => ({ type, name, ...rest }));

const scratchText = fc.oneof(
  fc.array(scratchDocument, { minLength: 1, maxLength: 3 }).map((docs) => docs.map((d) => JSON.stringify(d)).join('\n---\n')),
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join('')),
);

/** A project of one to three files, each a mutated base text or a text from scratch, with the secrets planted. */
export function pipelineCase(bases: readonly BaseText[]): fc.Arbitrary<PipelineCase> {
  const file = fc.oneof(
    { weight: 5, arbitrary: fc.record({ base: fc.nat({ max: bases.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }) }) },
    { weight: 1, arbitrary: fc.record({ scratch: scratchText, mutations: fc.array(mutation, { maxLength: 2 }) }) },
  );
  return fc.array(file, { minLength: 1, maxLength: 3 }).map((specs) => {
    const planted = new Set<PlantedSecret>();
    const files = specs.map((s, i) => {
      const text = 'base' in s ? bases[s.base].text : s.scratch;
      return { path: `f${i}/${'base' in s ? bases[s.base].origin.replace(/[^A-Za-z0-9._-]+/g, '_') : 'scratch.yaml'}`, text: mutate(text, s.mutations, planted) };
    });
    return { kind: 'pipeline' as const, files, secrets: [...planted].map((s) => s.secret) };
  });
}

/** Documents for the planner: parsed from the base texts (valid or not), each optionally changed a little. */
export function planDocuments(bases: readonly BaseText[]): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  for (const b of bases) {
    try {
      for (const d of b.text.split(/^---\s*$/m)) {
        const v = parse(d, { uniqueKeys: false, maxAliasCount: 100 });
        if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>).type === 'string' && typeof (v as Record<string, unknown>).name === 'string') docs.push(v as Record<string, unknown>);
      }
    } catch {
      // Not YAML: not a planner input.
    }
  }
  return docs;
}

/** Changes to one document: a field set to random JSON, a field removed, a list reversed. */
const docEdit: fc.Arbitrary<DocEdit> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: fc.oneof(fc.constantFrom('description', 'rules', 'integrations', 'members', 'collaborators', 'when', 'name'), fc.string({ maxLength: 5 })), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ op: fc.constant('drop' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('reverse' as const), index: fc.nat() }),
);

type DocEdit = { op: 'set'; key: string; value: unknown } | { op: 'drop' | 'reverse'; index: number };

function edit(doc: Record<string, unknown>, edits: readonly DocEdit[]): Record<string, unknown> {
  const out = structuredClone(doc);
  for (const e of edits) {
    const keys = Object.keys(out).filter((k) => k !== 'type' && k !== 'name');
    if (e.op === 'set') { if (e.key !== 'name' && e.key !== 'type') out[e.key] = e.value; continue; }
    if (!keys.length) continue;
    const k = keys[e.index % keys.length];
    if (e.op === 'drop') delete out[k];
    else if (Array.isArray(out[k])) out[k] = [...(out[k] as unknown[])].reverse();
  }
  return out;
}

/** A desired/live pair: documents picked from the pool, some on one side only, some edited on one side. */
export function planCase(pool: readonly Record<string, unknown>[]): fc.Arbitrary<PlanCase> {
  const pick = fc.record({ doc: fc.nat({ max: pool.length - 1 }), side: fc.constantFrom('both', 'desired', 'live'), edits: fc.array(docEdit, { maxLength: 2 }), editSide: fc.constantFrom('desired', 'live') });
  return fc.record({
    picks: fc.array(pick, { maxLength: 8 }),
    prune: fc.boolean(),
    liveKinds: fc.oneof(fc.constant(null), fc.subarray(['provider-account', 'mcp-server', 'virtual-account', 'team', 'secret-group', 'gateway-rate-limiting-config', 'gateway-load-balancing-config', 'gateway-budget-config', 'gateway-guardrails-config'])),
  }).map(({ picks, prune, liveKinds }) => {
    const desired: Record<string, unknown>[] = [];
    const live: Record<string, unknown>[] = [];
    for (const p of picks) {
      const base = pool[p.doc];
      const edited = edit(base, p.edits);
      if (p.side !== 'live') desired.push(p.editSide === 'desired' ? edited : base);
      if (p.side !== 'desired') live.push(p.editSide === 'live' ? edited : base);
    }
    return { kind: 'plan' as const, desired, live, prune, liveKinds: liveKinds ?? [...ALL_KINDS] };
  });
}
