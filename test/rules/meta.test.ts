// Conventions every rule follows: file name == id, a docs page with examples, a test, known ids in every pack.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.ts';
import { REPO } from '../helpers.ts';

describe('rule conventions', () => {
  it('every rule file is registered, and every registered rule has its file', () => {
    const files = readdirSync(join(REPO, 'src', 'rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3)).sort();
    expect(RULES.map((r) => r.id).sort()).toEqual(files);
  });
  for (const rule of RULES) {
    it(`${rule.id}: has docs and a test, and sound metadata`, () => {
      expect(existsSync(join(REPO, 'test', 'rules', `${rule.id}.test.ts`))).toBe(true);
      const doc = readFileSync(join(REPO, 'docs', 'rules', `${rule.id}.md`), 'utf8');
      expect(doc.startsWith(`# ${rule.id}\n`)).toBe(true);
      const invalid = doc.indexOf('\n## Invalid\n');
      const valid = doc.indexOf('\n## Valid\n');
      expect(invalid).toBeGreaterThan(0);
      expect(valid).toBeGreaterThan(invalid);
      expect(rule.meta.description.length).toBeGreaterThan(10);
      expect(rule.meta.appliesTo.length).toBeGreaterThan(0);
      for (const id of Object.keys(rule.meta.messages)) expect(rule.hints?.[id], `hint for message ${id}`).toBeTruthy();
    });
  }
  it('every pack names only known rules, and recommended sets every rule the rules document as on', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const pack of readdirSync(join(REPO, 'policies'))) {
      const data = parse(readFileSync(join(REPO, 'policies', pack), 'utf8')) as { rules?: Record<string, unknown> };
      for (const id of Object.keys(data.rules ?? {})) expect(ids.has(id), `${pack} names ${id}`).toBe(true);
    }
    const recommended = parse(readFileSync(join(REPO, 'policies', 'recommended.yaml'), 'utf8')) as { rules: Record<string, unknown> };
    for (const r of RULES) {
      const set = recommended.rules[r.id];
      const severity = Array.isArray(set) ? set[0] : set;
      expect(severity === 'warn' ? 'warning' : severity ?? 'off', r.id).toBe(r.meta.recommended);
    }
  });
});
