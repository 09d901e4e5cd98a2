// A run that reports on part of a project (a pre-commit hook naming files) finds on those files exactly what a run
// over the whole project finds there, although it runs the rules' `check` only on the manifests in it (a check
// reports on the manifest it checks), and rule-shadowing skips composed configs with no fragment in it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.ts';
import { runLint } from '../../src/lint/engine.ts';
import { resolveSettings } from '../../src/lint/policies.ts';
import { defineRule } from '../../src/lint/rule.ts';
import { EMPTY_CONFIG } from '../../src/lint/config.ts';
import { buildProjectIndex } from '../../src/project/index.ts';
import { DEFAULT_MAX_FILE_SIZE, runPipeline } from '../../src/project/pipeline.ts';
import { REGISTRY } from '../../src/rules/index.ts';
import { loadSchemaSet } from '../../src/validate/index.ts';
import { parseText, REPO, SHARED } from '../helpers.ts';

const GENERATOR = join(SHARED, 'bench', 'gen-corpus.mjs');

function yamlFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e) && e !== 'tfy-lint.config.yaml') out.push(relative(root, p).split('\\').join('/'));
    }
  };
  walk(root);
  return out;
}

/** Runs over the whole project and over each of `files` alone; returns the rule ids found in the runs over one file. */
function compareScopes(root: string, files: string[]): Set<string> {
  const run = (paths: string[]) => runPipeline({ cwd: root, root, paths, maxFileSize: DEFAULT_MAX_FILE_SIZE }).diagnostics;
  const whole = run(['.']);
  const seen = new Set<string>();
  for (const file of files) {
    const alone = run([file]);
    const expected = whole.filter((d: Diagnostic) => d.file === file);
    expect(alone, file).toEqual(expected);
    for (const d of alone) seen.add(d.ruleId);
  }
  return seen;
}

describe('a run over part of the project', () => {
  it('finds on each file of the example and the compose fixture what the whole run finds there', () => {
    for (const dir of [join(REPO, 'examples', 'acme-gateway'), join(REPO, 'fixtures', 'check', 'compose-errors')]) {
      compareScopes(dir, yamlFiles(dir));
    }
  });

  it('finds a reference to another tenant in its file alone, and nothing where no file of the run holds one', () => {
    const root = mkdtempSync(join(tmpdir(), 'tfy-scope-tenants-'));
    try {
      const account = (name: string, tenant: string) => `type: provider-account/openai\nname: ${name}\nauth_data:\n  type: api-key\n  api_key: tfy-secret://${tenant}:llm-keys:${name}\nintegrations: []\n`;
      writeFileSync(join(root, 'a.yaml'), account('first-acct', 'acme'));
      writeFileSync(join(root, 'b.yaml'), account('second-acct', 'acme'));
      writeFileSync(join(root, 'c.yaml'), account('third-acct', 'other'));
      writeFileSync(join(root, 'd.yaml'), 'type: gateway-rate-limiting-config\nname: limits\nrules: []\n');
      const seen = compareScopes(root, ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml']);
      expect(seen.has('secret-ref-format')).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe.runIf(existsSync(GENERATOR))('on a generated project with defects', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'tfy-scope-'));
      execFileSync(process.execPath, [GENERATOR, join(dir, 'p'), '--files', '200', '--seed', '11', '--defect-rate', '0.3'], { cwd: REPO, stdio: 'ignore' });
    }, 60_000);
    afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

    it('finds on each sampled file what the whole run finds there, the cross-file rules included', () => {
      const root = join(dir, 'p');
      const files = yamlFiles(root);
      const sample = files.filter((_, i) => i % 6 === 0);
      const seen = compareScopes(root, sample);
      // The sample reaches the rules that skip work outside the scope, so the comparison says something about them.
      expect([...seen]).toEqual(expect.arrayContaining(['target-exists', 'rule-shadowing']));
    }, 120_000);
  });
});

describe('a check reports on the manifest it checks', () => {
  it('a rule whose check reports on another manifest stops the run', () => {
    const a = parseText('type: provider-account/openai\nname: first\n', 'a.yaml').manifests[0];
    const b = parseText('type: provider-account/openai\nname: second\n', 'b.yaml').manifests[0];
    const liar = defineRule({
      id: 'liar',
      meta: { description: 'reports elsewhere', appliesTo: ['**'], needs: 'project', recommended: 'error', messages: { m: 'x' } },
      check(manifest, ctx) { ctx.report({ messageId: 'm', path: ['name'], manifest: manifest === a ? b : a }); },
    });
    const registry = new Map([...REGISTRY, ['liar', liar]]);
    const settings = resolveSettings(tmpdir(), { ...EMPTY_CONFIG, rules: { liar: 'error' } }, registry, loadSchemaSet());
    expect(() => runLint({ project: buildProjectIndex([a, b]), registry, settings, sources: new Map(), inScope: () => true }))
      .toThrow(/liar reported from check on another manifest than the one it checks/);
  });
});
