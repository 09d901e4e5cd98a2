// The docs pages embedded for SARIF's `help` are regenerated from docs/ by a script; this fails when they are stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations
import { generate } from '../../scripts/gen-rule-docs.mjs';
import { RULES } from '../../src/rules/index.ts';
import { ruleCatalog } from '../../src/report/rule-catalog.ts';
import { REPO } from '../helpers.ts';

describe('embedded docs pages', () => {
  it('src/report/generated/rule-docs.ts matches docs/rules and docs/checks (run npm run gen:docs)', () => {
    const current = readFileSync(join(REPO, 'src', 'report', 'generated', 'rule-docs.ts'), 'utf8');
    expect(current).toBe((generate as () => string)());
  });
  it('the catalog describes every rule and every id of the pipeline, each with its page', () => {
    const catalog = ruleCatalog();
    expect(catalog.map((r) => r.id)).toEqual([...RULES.map((r) => r.id), 'load', 'yaml-syntax', 'schema', 'compose', 'suppression']);
    for (const r of catalog) {
      expect(r.docs?.startsWith(`# ${r.id}\n`), r.id).toBe(true);
      expect(readFileSync(join(REPO, r.docsPath as string), 'utf8')).toBe(r.docs);
      expect(r.fullDescription.length).toBeGreaterThan(20);
    }
  });
});
