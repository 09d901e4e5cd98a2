// Lint: reads and validates tfy-lint.config.yaml (or .tfy-lint.yaml); a bad config stops the run with its position.
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.ts';
import { ConfigError } from '../core/errors.ts';
import { CONFIG_FILE_NAMES, readSource } from '../load/files.ts';
import { parseSource } from '../parse/yaml.ts';
import { diagnosticsFromAjv } from '../validate/errors.ts';
import { CONFIG_SCHEMA_FILE, type SchemaSet } from '../validate/schemas.ts';
import type { Manifest } from '../parse/manifest.ts';

export type SeveritySetting = 'off' | 'info' | 'warn' | 'warning' | 'error';
export type RuleSetting = SeveritySetting | [SeveritySetting] | [SeveritySetting, Record<string, unknown>];

import type { ComposeEntry } from '../project/composition.ts';
export type { ComposeEntry };

export interface Config {
  /** Root-relative path of the config file, or undefined when the project has none. */
  file?: string;
  /** Packs to extend; undefined means the default (recommended), [] means none. */
  extends?: string[];
  rules: Record<string, RuleSetting>;
  overrides: { files: string[]; rules: Record<string, RuleSetting> }[];
  ignore: string[];
  policies: string[];
  compose: ComposeEntry[];
  /** Globs over `type/name` of resources apply never changes or deletes. */
  protect: string[];
  /** Settings of `tfy-lint drift`: `ignore` is a list of `type/name[/field path]` globs (src/plan/drift.ts). */
  drift: { ignore: string[] };
  /** The parsed config document, for positions of later findings about it. */
  manifest?: Manifest;
  /** The config file's text, for code frames of later findings about it. */
  text?: string;
}

export const EMPTY_CONFIG: Config = { rules: {}, overrides: [], ignore: [], policies: [], compose: [], protect: [], drift: { ignore: [] } };

export function findConfigFile(root: string): string | undefined {
  return CONFIG_FILE_NAMES.find((n) => existsSync(join(root, n)));
}

function formatProblems(file: string, list: Diagnostic[]): string {
  const lines = list.map((d) => `${file}:${d.range.start.line}:${d.range.start.column}: ${d.message}`);
  return lines.length === 1 ? `invalid config ${lines[0]}` : `invalid config ${file}:\n  ${lines.join('\n  ')}`;
}

/**
 * Loads the project's config. `explicit` is a path given with --config (relative to cwd); otherwise the root is
 * searched for the usual names. A missing config is an empty one.
 */
export function loadConfig(root: string, schemas: SchemaSet, explicit?: { cwd: string; path: string }): Config {
  let rel: string | undefined;
  let base = root;
  /** The config file's path relative to the root ('../…' when --config names one outside it). */
  let file: string;
  /** How messages name it: as the user wrote it with --config, else root-relative. */
  let shown: string;
  if (explicit) {
    const abs = resolve(explicit.cwd, explicit.path);
    if (!existsSync(abs)) throw new ConfigError(`config file not found: ${explicit.path}`);
    file = relative(root, abs).split('\\').join('/');
    rel = file;
    if (rel.startsWith('..') || isAbsolute(rel)) { base = dirname(abs); rel = basename(abs); }
    shown = explicit.path.split('\\').join('/');
  } else {
    rel = findConfigFile(root);
    if (!rel) return { ...EMPTY_CONFIG };
    file = rel;
    shown = rel;
  }
  const src = readSource(base, rel, 1024 * 1024);
  if (!('text' in src)) throw new ConfigError(`invalid config ${shown}:${src.line}:${src.column}: ${src.message}`);
  const parsed = parseSource({ path: file, text: src.text });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new ConfigError(formatProblems(shown, errors));
  if (parsed.manifests.length > 1) {
    throw new ConfigError(`invalid config ${shown}:${parsed.manifests[1].range.start.line}:1: a config file holds one YAML document`);
  }
  const manifest = parsed.manifests[0];
  if (!manifest) return { ...EMPTY_CONFIG, file, text: src.text };
  const validate = schemas.validatorForFile(CONFIG_SCHEMA_FILE);
  if (!validate(manifest.data)) {
    throw new ConfigError(formatProblems(shown, diagnosticsFromAjv(manifest, validate.errors ?? [], { catalog: schemas.catalog, source: 'schema' })));
  }
  const d = manifest.data as Record<string, unknown>;
  const toList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);
  return {
    file,
    extends: d.extends === undefined ? undefined : toList(d.extends),
    rules: (d.rules as Config['rules']) ?? {},
    overrides: ((d.overrides as { files: unknown; rules?: Config['rules'] }[]) ?? []).map((o) => ({ files: toList(o.files), rules: o.rules ?? {} })),
    ignore: (d.ignore as string[]) ?? [],
    policies: (d.policies as string[]) ?? [],
    compose: (d.compose as ComposeEntry[]) ?? [],
    protect: (d.protect as string[]) ?? [],
    drift: { ignore: ((d.drift as { ignore?: string[] } | undefined)?.ignore) ?? [] },
    manifest,
    text: src.text,
  };
}
