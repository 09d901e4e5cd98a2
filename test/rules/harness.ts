// Rule tests: lint in-memory files with one rule switched on and read back its findings as "line:col severity message".
import { resolveComposition, type ComposeEntry } from '../../src/project/composition.ts';
import { EMPTY_CONFIG, type RuleSetting } from '../../src/lint/config.ts';
import { runLint } from '../../src/lint/engine.ts';
import { applyEdits } from '../../src/lint/fix.ts';
import { resolveSettings } from '../../src/lint/policies.ts';
import type { Manifest } from '../../src/parse/manifest.ts';
import { parseSource } from '../../src/parse/yaml.ts';
import { buildProjectIndex } from '../../src/project/index.ts';
import { REGISTRY } from '../../src/rules/index.ts';
import { loadSchemaSet } from '../../src/validate/index.ts';

export type Files = Record<string, string>;

export interface LintRun {
  /** Findings of the rule under test: "file:line:col severity message" (file omitted for a single example.yaml). */
  findings: string[];
  diagnostics: ReturnType<typeof runLint>['diagnostics'];
  /** The files after applying the rule's fixes. */
  fixed: Files;
}

/** Lints files (a string is one file named example.yaml) with only `ruleId` on, at error unless `setting` says otherwise. */
/** Runs one rule over files; `compose` entries make the project compose those gateway configs from fragments. */
export function lint(ruleId: string, files: Files | string, setting: RuleSetting = 'error', compose: ComposeEntry[] = []): LintRun {
  const input: Files = typeof files === 'string' ? { 'example.yaml': files } : files;
  const manifests: Manifest[] = [];
  const sources = new Map<string, string>();
  for (const [path, text] of Object.entries(input)) {
    const parsed = parseSource({ path, text });
    if (parsed.diagnostics.some((d) => d.severity === 'error')) throw new Error(`test input ${path} is not valid YAML: ${parsed.diagnostics[0].message}`);
    manifests.push(...parsed.manifests);
    sources.set(path, text);
  }
  if (!REGISTRY.has(ruleId)) throw new Error(`unknown rule ${ruleId}`);
  const settings = resolveSettings('/', { ...EMPTY_CONFIG, extends: [], rules: { [ruleId]: setting } }, REGISTRY, loadSchemaSet());
  const result = runLint({ project: buildProjectIndex(manifests, resolveComposition(manifests, compose, { file: 'tfy-lint.config.yaml' })), registry: REGISTRY, settings, sources, inScope: () => true });
  const single = Object.keys(input).length === 1 && 'example.yaml' in input;
  const findings = result.diagnostics
    .filter((d) => d.ruleId === ruleId)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column))
    .map((d) => `${single ? '' : `${d.file}:`}${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.message}`);
  const fixed: Files = { ...input };
  for (const [file, edits] of result.edits) fixed[file] = applyEdits(file, input[file], edits).text;
  return { findings, diagnostics: result.diagnostics, fixed };
}
