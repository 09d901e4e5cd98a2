// The position trees kept between the schema's findings and the rules' (many findings in many files): whichever way
// the files are asked about — once each, many times each, across more files than are kept, after the trees are
// dropped — every range equals the one yaml gives.
import { describe, expect, it } from 'vitest';
import type { JsonPath } from '../../src/core/diagnostic.ts';
import { parseSource, releasePositions } from '../../src/parse/yaml.ts';

const text = (n: number) => [
  'type: provider-account/openai', `name: acct-${n}`, 'integrations:',
  ...Array.from({ length: 5 + (n % 4) }, (_, k) => [`  - type: integration/model/openai`, `    name: m${k}`, `    model_type: [chat, ${'x'.repeat(n % 7)}]`]).flat(),
].join('\n');

describe('position trees across a run', () => {
  it('give yaml\'s ranges in every order of questions', () => {
    const files = Array.from({ length: 150 }, (_, n) => ({ path: `f${n}.yaml`, text: text(n) }));
    const fast = files.map((f) => parseSource(f).manifests[0]);
    const slow = files.map((f) => parseSource(f, { fast: false }).manifests[0]);
    const paths: JsonPath[] = [['integrations', 0, 'model_type'], ['integrations', 3, 'name'], ['integrations', 2, 'missing'], ['name'], ['nothing', 1]];
    const ask = (i: number, path: JsonPath) => expect(fast[i].rangeOf(path, 'key'), `${files[i].path} ${path.join('.')}`).toEqual(slow[i].rangeOf(path, 'key'));
    // The schema's pass: several findings per file, file after file (each file's tree is kept).
    for (let i = 0; i < files.length; i++) for (const p of paths) ask(i, p);
    // The rules' pass: one finding per file, in order, then backwards.
    for (let i = 0; i < files.length; i++) ask(i, paths[1]);
    for (let i = files.length - 1; i >= 0; i--) expect(fast[i].locate(paths[0])).toEqual(slow[i].locate(paths[0]));
    releasePositions();
    for (let i = 0; i < files.length; i += 7) for (const p of paths) ask(i, p);
  });
});
