// Lint: policy packs (policies/*.yaml), organisation policies and the config resolve to rule settings per file.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ignore from 'ignore';
import type { Severity } from '../core/diagnostic.ts';
import { ConfigError } from '../core/errors.ts';
import { readSource } from '../load/files.ts';
import type { Manifest } from '../parse/manifest.ts';
import { parseSource } from '../parse/yaml.ts';
import { diagnosticsFromAjv } from '../validate/errors.ts';
import { packageRoot, POLICY_SCHEMA_FILE, type SchemaSet } from '../validate/schemas.ts';
import type { Config, RuleSetting } from './config.ts';
import { compileCustomRule, type CustomRuleSpec } from './custom.ts';
import type { Rule } from './rule.ts';

export const BUILT_IN_PACKS = ['recommended', 'strict'] as const;

export interface Setting { severity: Severity | 'off'; options?: Record<string, unknown>; source: { file: string; manifest?: Manifest; path: (string | number)[] } }

interface Layer { settings: Map<string, Setting>; files?: ReturnType<typeof ignore> }

export interface LintSettings {
  /** The effective setting of every configured rule for one root-relative file. */
  forFile(file: string): Map<string, Setting>;
  /** Declarative rules from policy files, compiled. */
  customRules: Rule[];
  /** Every policy file read (packs included), with its text: what the settings were made from besides the config. */
  policyTexts: { file: string; text: string }[];
}

function severityOf(s: string): Severity | 'off' {
  return s === 'warn' ? 'warning' : (s as Severity | 'off');
}

function toSetting(v: RuleSetting, source: Setting['source']): Setting {
  if (Array.isArray(v)) return { severity: severityOf(v[0]), options: v[1], source };
  return { severity: severityOf(v), source };
}

interface LoadedPolicy { file: string; text: string; manifest?: Manifest; extends: string[]; rules: Record<string, RuleSetting>; custom: CustomRuleSpec[] }

function loadPolicyFile(abs: string, display: string, schemas: SchemaSet): LoadedPolicy {
  const src = readSource(dirname(abs), abs.slice(dirname(abs).length + 1), 1024 * 1024);
  if (!('text' in src)) throw new ConfigError(`invalid policy ${display}:${src.line}:${src.column}: ${src.message}`);
  const parsed = parseSource(src);
  const err = parsed.diagnostics.find((d) => d.severity === 'error');
  if (err) throw new ConfigError(`invalid policy ${display}:${err.range.start.line}:${err.range.start.column}: ${err.message}`);
  const manifest = parsed.manifests[0];
  if (!manifest) return { file: display, text: src.text, extends: [], rules: {}, custom: [] };
  const validate = schemas.validatorForFile(POLICY_SCHEMA_FILE);
  if (!validate(manifest.data)) {
    const d = diagnosticsFromAjv(manifest, validate.errors ?? [], { catalog: schemas.catalog, source: 'schema' })[0];
    throw new ConfigError(`invalid policy ${display}:${d.range.start.line}:${d.range.start.column}: ${d.message}`);
  }
  const data = manifest.data as { extends?: string | string[]; rules?: Record<string, RuleSetting>; custom?: CustomRuleSpec[] };
  const ext = data.extends === undefined ? [] : Array.isArray(data.extends) ? data.extends : [data.extends];
  return { file: display, text: src.text, manifest, extends: ext, rules: data.rules ?? {}, custom: data.custom ?? [] };
}

/**
 * Resolves the config's `extends` (default: recommended), `policies`, `rules` and `overrides` into settings, checking
 * that every rule named exists and that options match the rule's options schema. Later layers win.
 */
export function resolveSettings(root: string, config: Config, registry: ReadonlyMap<string, Rule>, schemas: SchemaSet): LintSettings {
  const base = new Map<string, Setting>();
  const customSpecs: { spec: CustomRuleSpec; policy: LoadedPolicy; index: number }[] = [];
  const seen = new Set<string>();
  const known = (id: string) => registry.has(id) || customSpecs.some((c) => c.spec.id === id);
  const policyTexts: { file: string; text: string }[] = [];

  const apply = (rules: Record<string, RuleSetting>, file: string, manifest: Manifest | undefined, prefix: (string | number)[], into: Map<string, Setting>) => {
    for (const [id, v] of Object.entries(rules)) {
      const path = [...prefix, id];
      if (!known(id)) {
        const at = manifest ? manifest.rangeOf(path) : undefined;
        throw new ConfigError(`${file}${at ? `:${at.start.line}:${at.start.column}` : ''}: unknown rule "${id}"; run tfy-lint rules to list them`);
      }
      const setting = toSetting(v, { file, manifest, path });
      const rule = registry.get(id);
      if (setting.options && rule) checkOptions(rule, setting.options, file, manifest, [...path, 1], schemas);
      into.set(id, setting);
    }
  };

  const usePack = (name: string, fromDir: string, from: string, chain: string[]) => {
    const builtIn = (BUILT_IN_PACKS as readonly string[]).includes(name);
    const abs = builtIn ? join(packageRoot(), 'policies', `${name}.yaml`) : resolve(fromDir, name);
    if (!builtIn && !existsSync(abs)) {
      throw new ConfigError(`${from}: policy "${name}" is neither a built-in pack (${BUILT_IN_PACKS.join(', ')}) nor an existing file`);
    }
    if (chain.includes(abs)) throw new ConfigError(`${from}: policy "${name}" extends itself (${[...chain, abs].map((c) => relative(root, c)).join(' -> ')})`);
    const display = builtIn ? `policies/${name}.yaml (built in)` : relative(root, abs).split('\\').join('/');
    const policy = loadPolicyFile(abs, display, schemas);
    policyTexts.push({ file: display, text: policy.text });
    for (const e of policy.extends) usePack(e, dirname(abs), display, [...chain, abs]);
    if (seen.has(abs)) return;
    seen.add(abs);
    policy.custom.forEach((spec, index) => customSpecs.push({ spec, policy, index }));
    for (const { spec, policy: p, index } of customSpecs.filter((c) => c.policy === policy)) {
      base.set(spec.id, { severity: severityOf(spec.severity ?? 'error'), source: { file: p.file, manifest: p.manifest, path: ['custom', index] } });
    }
    apply(policy.rules, display, policy.manifest, ['rules'], base);
  };

  const configFile = config.file ?? 'tfy-lint.config.yaml';
  for (const name of config.extends ?? ['recommended']) usePack(name, root, configFile, []);
  for (const p of config.policies) usePack(p, root, configFile, []);
  apply(config.rules, configFile, config.manifest, ['rules'], base);

  const layers: Layer[] = config.overrides.map((o, i) => {
    const settings = new Map<string, Setting>();
    apply(o.rules, configFile, config.manifest, ['overrides', i, 'rules'], settings);
    return { settings, files: ignore().add(o.files) };
  });

  const customRules = customSpecs.map(({ spec }) => compileCustomRule(spec, (s) => schemas.compileFragment(s)));
  const cache = new Map<string, Map<string, Setting>>();
  return {
    customRules,
    policyTexts,
    forFile(file) {
      const matching = layers.filter((l) => l.files?.ignores(file));
      if (matching.length === 0) return base;
      const key = matching.map((l) => layers.indexOf(l)).join(',');
      let merged = cache.get(key);
      if (!merged) {
        merged = new Map(base);
        for (const l of matching) for (const [id, s] of l.settings) merged.set(id, { ...s, options: s.options ?? base.get(id)?.options });
        cache.set(key, merged);
      }
      return merged;
    },
  };
}

function checkOptions(rule: Rule, options: Record<string, unknown>, file: string, manifest: Manifest | undefined, path: (string | number)[], schemas: SchemaSet) {
  if (!rule.meta.options) {
    const at = manifest?.rangeOf(path);
    throw new ConfigError(`${file}${at ? `:${at.start.line}:${at.start.column}` : ''}: rule "${rule.id}" takes no options`);
  }
  const validate = schemas.compileFragment(rule.meta.options);
  if (validate(options)) return;
  const e = validate.errors?.[0];
  const where = manifest?.rangeOf([...path, ...(e?.instancePath ? e.instancePath.slice(1).split('/') : [])]);
  throw new ConfigError(`${file}${where ? `:${where.start.line}:${where.start.column}` : ''}: options of rule "${rule.id}"${e?.instancePath ? ` at ${e.instancePath}` : ''} ${e?.message ?? 'are not valid'}`);
}
