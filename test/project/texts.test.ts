// A run keeps the texts of the files it read up to a budget (heldTexts) and lets go of the rest once they are parsed
// and validated (large projects do not hold every text to the end): positions, code frames and fixes read such a file
// again, and only if it is the file that was checked. Files with suppression comments keep their texts, since those
// comments are read from them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/core/errors.ts';
import { lintProject, loadProject, type PipelineOptions } from '../../src/project/pipeline.ts';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tfy-texts-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const account = (name: string, extra = '') =>
  `${extra}type: provider-account/openai\nname: ${name}\nauth_data:\n  type: api-key\n  api_key: tfy-secret://acme:keys:K\nintegrations: []\n`;
const options = (heldTexts = 0): PipelineOptions => ({ cwd: dir, paths: [], maxFileSize: 1 << 20, heldTexts });

describe('texts of the files a run read', () => {
  it('are let go of beyond the budget, except where suppression comments are; a finding reads its file again', () => {
    writeFileSync(join(dir, 'a.yaml'), account('twin'));
    writeFileSync(join(dir, 'b.yaml'), account('twin'));
    writeFileSync(join(dir, 'c.yaml'), account('other', '# tfy-lint-disable-file deprecated -- kept for the test\n'));
    const loaded = loadProject(options());
    expect([...loaded.sources.keys()].sort()).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
    expect([...loaded.sources.held()].map(([f]) => f)).toEqual(['c.yaml']);
    const result = lintProject(loaded);
    const dup = result.diagnostics.find((d) => d.ruleId === 'unique-names');
    expect(dup).toMatchObject({ file: 'b.yaml', range: { start: { line: 2, column: 7 } } });
    expect(result.sources.get('b.yaml')).toBe(account('twin'));
    // Within the budget every text is kept, in file order while it lasts.
    expect([...loadProject(options(1 << 20)).sources.held()].map(([f]) => f)).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
    expect([...loadProject(options(account('twin').length)).sources.held()].map(([f]) => f)).toEqual(['a.yaml', 'c.yaml']);
  });

  it('a file changed after it was read but kept in memory: the run reports on the text it checked', () => {
    writeFileSync(join(dir, 'a.yaml'), account('twin'));
    writeFileSync(join(dir, 'b.yaml'), account('twin'));
    const loaded = loadProject(options(1 << 20));
    writeFileSync(join(dir, 'b.yaml'), `# a comment moves every line\n${account('twin')}`);
    const dup = lintProject(loaded).diagnostics.find((d) => d.ruleId === 'unique-names');
    expect(dup).toMatchObject({ file: 'b.yaml', range: { start: { line: 2, column: 7 } } });
  });

  it('a file changed between reading and placing a finding in it stops the run (exit 2) instead of pointing at unchecked text', () => {
    writeFileSync(join(dir, 'a.yaml'), account('twin'));
    writeFileSync(join(dir, 'b.yaml'), account('twin'));
    const loaded = loadProject(options());
    writeFileSync(join(dir, 'b.yaml'), `# a comment moves every line\n${account('twin')}`);
    expect(() => lintProject(loaded)).toThrow(FatalError);
    expect(() => lintProject(loaded)).toThrow('b.yaml changed while tfy-lint was checking it; run the check again');
  });
});
