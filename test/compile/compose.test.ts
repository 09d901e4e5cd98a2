import { describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/compile/compose.ts';
import { composedData, globToRegExp, resolveComposition, type ComposeEntry } from '../../src/project/composition.ts';
import { parseSource } from '../../src/parse/yaml.ts';

function manifests(files: Record<string, string>) {
  return Object.entries(files).flatMap(([path, text]) => parseSource({ path, text }).manifests);
}
const config = (text: string) => parseSource({ path: 'tfy-lint.config.yaml', text }).manifests[0];
const rl = (name: string, ...ids: string[]) => `type: gateway-rate-limiting-config\nname: ${name}\nrules:\n${ids.map((id) => `  - id: ${id}\n    when: {subjects: [team:${id}]}\n    limit_to: 1\n    unit: requests_per_minute\n`).join('')}`;

const ENTRY: ComposeEntry = { type: 'gateway-rate-limiting-config', name: 'tenant', from: ['rl/platform.yaml', 'rl/teams/**/*.yaml', 'rl/defaults.yaml'] };
const CONFIG = config(`compose:\n  - type: gateway-rate-limiting-config\n    name: tenant\n    from:\n      - rl/platform.yaml\n      - rl/teams/**/*.yaml\n      - rl/defaults.yaml\n`);

describe('compose: the composed list', () => {
  const files = {
    'rl/defaults.yaml': rl('d', 'last'),
    'rl/teams/zeta/z.yaml': rl('z', 'zeta-1'),
    'rl/teams/alpha.yaml': rl('a', 'alpha-1', 'alpha-2'),
    'rl/platform.yaml': rl('p', 'first'),
  };
  it('orders fragments by from, a glob by path, documents in file order; the entry names the config', () => {
    const ms = manifests(files);
    const c = resolveComposition(ms, [ENTRY], { file: 'tfy-lint.config.yaml', manifest: CONFIG });
    expect(c.diagnostics).toEqual([]);
    expect(c.configs[0].fragments.map((m) => m.file)).toEqual(['rl/platform.yaml', 'rl/teams/alpha.yaml', 'rl/teams/zeta/z.yaml', 'rl/defaults.yaml']);
    const data = composedData(c.configs[0]);
    expect(data.name).toBe('tenant');
    expect((data.rules as { id: string }[]).map((r) => r.id)).toEqual(['first', 'alpha-1', 'alpha-2', 'zeta-1', 'last']);
  });
  it('desired state holds one composed document whose paths point into the fragments', () => {
    const ms = manifests(files);
    const c = resolveComposition(ms, [ENTRY], { file: 'tfy-lint.config.yaml' });
    const { documents } = buildDesiredState(ms, c);
    expect(documents.map((d) => `${d.type}/${d.name}`)).toEqual(['gateway-rate-limiting-config/tenant']);
    const at = documents[0].locate(['rules', 2, 'id']);
    expect(at.file).toBe('rl/teams/alpha.yaml');
    expect(at.range.start).toEqual({ line: 8, column: 9 });
    expect(documents[0].fragments?.map((f) => f.file)).toEqual(['rl/platform.yaml', 'rl/teams/alpha.yaml', 'rl/teams/zeta/z.yaml', 'rl/defaults.yaml']);
  });
});

describe('compose: errors at their places', () => {
  const site = { file: 'tfy-lint.config.yaml', manifest: CONFIG };
  const run = (files: Record<string, string>, entries = [ENTRY], s: { file: string; manifest?: typeof CONFIG } = site) => resolveComposition(manifests(files), entries, s).diagnostics
    .map((d) => `${d.file}:${d.range.start.line}:${d.range.start.column} ${d.message}`);
  it('a from pattern that matches nothing, in the config', () => {
    expect(run({ 'rl/platform.yaml': rl('p', 'a1'), 'rl/defaults.yaml': rl('d', 'a2') })).toEqual([
      'tfy-lint.config.yaml:6:9 "rl/teams/**/*.yaml" in the from list of "tenant" matches no manifest file',
    ]);
  });
  it('a document of the composed type that no entry claims', () => {
    expect(run({ 'rl/platform.yaml': rl('p', 'a1'), 'rl/teams/t.yaml': rl('t', 'a3'), 'rl/defaults.yaml': rl('d', 'a2'), 'other/stray.yaml': rl('s', 'a4') })).toEqual([
      'other/stray.yaml:1:7 this gateway-rate-limiting-config is not a fragment of the composed config "tenant": no pattern of its from list matches other/stray.yaml',
    ]);
  });
  it('a document of another type in a fragment file', () => {
    const other = 'type: team\nname: research\nmembers: [user:a@b.c]\nmanagers: [user:a@b.c]\n';
    expect(run({ 'rl/platform.yaml': `${rl('p', 'a1')}---\n${other}`, 'rl/teams/t.yaml': rl('t', 'a3'), 'rl/defaults.yaml': rl('d', 'a2') })).toEqual([
      'rl/platform.yaml:9:7 rl/platform.yaml is a fragment of "tenant" (gateway-rate-limiting-config) but this document is a team',
    ]);
  });
  it('a file claimed by two entries, and a type composed twice', () => {
    const entries: ComposeEntry[] = [
      ENTRY,
      { type: 'gateway-budget-config', name: 'budgets', from: ['rl/defaults.yaml'] },
      { type: 'gateway-rate-limiting-config', name: 'again', from: ['rl/platform.yaml'] },
    ];
    const cfg = config(`compose:\n  - type: gateway-rate-limiting-config\n    name: tenant\n    from: [rl/platform.yaml, rl/teams/**/*.yaml, rl/defaults.yaml]\n  - type: gateway-budget-config\n    name: budgets\n    from: [rl/defaults.yaml]\n  - type: gateway-rate-limiting-config\n    name: again\n    from: [rl/platform.yaml]\n`);
    const out = run({ 'rl/platform.yaml': rl('p', 'a1'), 'rl/teams/t.yaml': rl('t', 'a3'), 'rl/defaults.yaml': rl('d', 'a2') }, entries, { file: 'tfy-lint.config.yaml', manifest: cfg });
    expect(out).toEqual([
      'rl/defaults.yaml:1:7 rl/defaults.yaml is a fragment of two compose entries: "tenant" and "budgets"',
      'tfy-lint.config.yaml:8:11 gateway-rate-limiting-config is composed twice (also by compose[0] "tenant")',
    ]);
  });
  it('fields besides type, name and rules must agree across fragments', () => {
    const withField = (name: string, v: string) => `${rl(name, `${name}-1`)}owner: ${v}\n`;
    const c = resolveComposition(manifests({ 'rl/platform.yaml': withField('p', 'x'), 'rl/teams/t.yaml': withField('t', 'x'), 'rl/defaults.yaml': withField('d', 'y') }), [ENTRY], site);
    expect(c.diagnostics.map((d) => `${d.file}:${d.range.start.line} ${d.message}`)).toEqual([
      'rl/defaults.yaml:8 "owner" differs from the value set in rl/platform.yaml; fragments of "tenant" must agree on it',
    ]);
    expect(c.diagnostics[0].related?.[0]).toMatchObject({ file: 'rl/platform.yaml', message: '"owner" first set here' });
    expect(composedData(c.configs[0]).owner).toBe('x');
  });
});

describe('compose: globs', () => {
  it.each([
    ['a/*.yaml', 'a/b.yaml', true], ['a/*.yaml', 'a/b/c.yaml', false], ['a/**/*.yaml', 'a/c.yaml', true],
    ['a/**/*.yaml', 'a/b/c/d.yaml', true], ['a/{x,y}.yaml', 'a/y.yaml', true], ['./a.yaml', 'a.yaml', true], ['a?.yaml', 'ab.yaml', true],
    ['a.yaml', 'aXyaml', false],
  ])('%s matches %s: %s', (glob, path, want) => {
    expect(globToRegExp(glob).test(path)).toBe(want);
  });
});
