// The examples in docs/rules/<id>.md run: every Invalid block gives the rule's findings, every Valid block none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.ts';
import { REPO } from '../helpers.ts';
import { lint, type Files } from './harness.ts';

/** YAML blocks of a section; a block may hold several files, each starting with a line "# file: path". */
function blocks(doc: string, section: 'Invalid' | 'Valid'): Files[] {
  const start = doc.indexOf(`\n## ${section}\n`);
  const next = doc.indexOf('\n## ', start + 4);
  const body = doc.slice(start, next === -1 ? undefined : next);
  return [...body.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => {
    const parts = m[1].split(/^# file: (.+)\n/m);
    if (parts.length === 1) return { 'example.yaml': m[1] };
    const files: Files = {};
    for (let i = 1; i < parts.length; i += 2) files[parts[i].trim()] = parts[i + 1];
    return files;
  });
}

describe('rule docs examples', () => {
  for (const rule of RULES) {
    const doc = readFileSync(join(REPO, 'docs', 'rules', `${rule.id}.md`), 'utf8');
    blocks(doc, 'Invalid').forEach((files, i) => {
      it(`${rule.id}: invalid example ${i + 1} is reported`, () => {
        expect(lint(rule.id, files).findings.length).toBeGreaterThan(0);
      });
    });
    blocks(doc, 'Valid').forEach((files, i) => {
      it(`${rule.id}: valid example ${i + 1} is clean`, () => {
        expect(lint(rule.id, files).findings).toEqual([]);
      });
    });
    it(`${rule.id}: the docs have at least one example of each kind`, () => {
      expect(blocks(doc, 'Invalid').length).toBeGreaterThan(0);
      expect(blocks(doc, 'Valid').length).toBeGreaterThan(0);
    });
  }
});
