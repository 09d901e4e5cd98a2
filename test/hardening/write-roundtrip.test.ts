// What build and dump write reads back, through the real PyYAML, as exactly the data that was written: strings that
// PyYAML would resolve to something else when plain are quoted, keys included.
import { describe, expect, it } from 'vitest';
import { manifestYaml } from '../../src/compile/output.ts';
import { askPyYaml } from '../support/pyyaml.ts';

const TEXTS = ['=', '<<', 'y', 'n', 'yes', 'No', 'on', 'OFF', 'true', '~', 'null', '', '0', '0755', '0048172639', '0x1F', '0b101', '1_000', '12:30', '1:30.5',
  '1e3', '1.5e+3', '.inf', '-.inf', '.nan', '2026-01-01', '2026-01-01T10:00:00Z', '2026-02-30', 'sk-abc', 'plain', 'a: b', '- x', '#c', '!tag', '&a', '*a', '__proto__'];

describe('build and dump write YAML that PyYAML reads back unchanged', () => {
  it('as values and as keys', () => {
    const manifests = TEXTS.map((t, i) => JSON.parse(JSON.stringify({ type: 'team', name: `t${i}`, value: t, list: [t, 'x'], tags: { [t]: t } })) as Record<string, unknown>);
    const answer = askPyYaml({ files: manifests.map((m) => manifestYaml(m)) });
    const mismatches = answer.files.map((f, i) => {
      const back = 'docs' in f ? JSON.stringify((f.docs[0] as { $map: Record<string, unknown> }).$map, (_k, v) => (v && typeof v === 'object' && '$map' in v ? v.$map : v)) : JSON.stringify(f);
      return back === JSON.stringify(manifests[i]) ? '' : `${JSON.stringify(TEXTS[i])}: wrote ${JSON.stringify(manifestYaml(manifests[i]))}, PyYAML read ${back}`;
    }).filter(Boolean);
    expect(mismatches).toEqual([]);
  });
});
