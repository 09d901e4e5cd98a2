import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constructTagged, pythonFloatRepr, resolvePlainScalar, scalarKey, type ResolvedScalar } from '../../src/parse/scalars.ts';
import { askPyYaml, pyFloat, type PyValue } from '../support/pyyaml.ts';

/** The differences between our answer and PyYAML's for one scalar, as text ('' when they agree). */
function disagreement(text: string, ours: ResolvedScalar, py: PyValue): string {
  const show = `${JSON.stringify(text)}: ours ${JSON.stringify({ ...ours, value: String(ours.value) })}, PyYAML ${JSON.stringify(py)}`;
  if ('error' in py) return ours.error ? '' : show;
  if (ours.error) return show;
  switch (py.t) {
    case 'null': return ours.tag === 'null' && ours.value === null ? '' : show;
    case 'bool': return ours.tag === 'bool' && ours.value === py.v ? '' : show;
    case 'int': return ours.tag === 'int' && ours.value === Number(BigInt(py.v as string)) ? '' : show;
    case 'float': return ours.tag === 'float' && Object.is(ours.value, pyFloat(py.v as string)) ? '' : show;
    case 'str': return ours.tag === 'str' && ours.value === py.v ? '' : show;
    case 'date': case 'datetime': return ours.tag === 'timestamp' && ours.value === text ? '' : show;
    default: return show;
  }
}

function compareAll(texts: string[]): string[] {
  const answer = askPyYaml({ scalars: texts });
  return texts.map((t, i) => disagreement(t, resolvePlainScalar(t), answer.scalars[i])).filter(Boolean);
}

const HAND_PICKED = [
  '', '~', 'null', 'Null', 'NULL', 'nULL', 'none', 'None',
  'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'tRUE', 'false', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'oN',
  '0', '-0', '+0', '00', '007', '0755', '0048172639', '08', '0_7', '0_', '_0', '1_000', '1__0', '1_', '-1_000', '+12',
  '0b101', '0b', '0b_', '-0b1_0', '0B101', '0x1F', '0xff_ff', '0x', '0x_', '0X1F', '0o755', '0o', '9007199254740993', '123456789012345678901234567890',
  '12:30', '12:30:45', '1:0', '-1:30', '190:20:30', '1:60', '1:5', '0:30', '01:30', '1_0:30', '12:3_0',
  '1e3', '1.0e3', '1E3', '1e+3', '1.5e+3', '1.5E-3', '1.e+3', '.5', '.5e+1', '5.', '-.5', '+.5', '._5', '1._5', '1.5_5', '1_000.5', '-1.5',
  '.inf', '-.inf', '+.inf', '.Inf', '.INF', '.iNF', 'inf', '.nan', '.NaN', '.NAN', '-.nan', 'nan', '1:30.5', '1:30.', '-1:30:00.5', '1.0e+999', '1.7976931348623157e+308', '5e-324', '0.1', '0.30000000000000004',
  '2026-01-01', '2026-1-1', '2026-13-01', '2026-02-29', '2024-02-29', '1900-02-29', '2000-02-29', '0000-01-01', '2026-01-32', '2026-04-31',
  '2026-01-01T10:00:00Z', '2026-01-01t10:00:00z', '2026-01-01 10:00:00', '2026-01-01  \t10:00:00.123456789 +05:30', '2026-1-1T1:00:00', '2026-01-01T24:00:00', '2026-01-01T10:60:00',
  '2026-01-01T10:00:60', '2026-01-01T10:00:00+24', '2026-01-01T10:00:00-23:59', '2026-01-01T10:00:00.', '2026-01-01T10:00', '2026-01-01T10:00:00 Z',
  '=', '==', '<<', '<', '<<<', 'a=b', 'hello world', 'sk-abc', '1.2.3', '1-2', '+', '-', '.', ':', '+.', '0.0.0.0', '12:60', 'Infinity',
];

describe('resolvePlainScalar agrees with PyYAML', () => {
  it('on the hand-picked edge cases (DOMAIN.md §0.1 and the resolver patterns)', () => {
    expect(compareAll(HAND_PICKED)).toEqual([]);
  });

  it('on generated scalars (one PyYAML process for the whole batch)', () => {
    const chars = fc.constantFrom(...'0123456789012345-+._:eExXbBoO~nNyYtTfFsSlLaAuU<= Z'.split(''));
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789_'.split('')), minLength: min, maxLength: max });
    const sign = fc.constantFrom('', '-', '+');
    const arb = fc.oneof(
      fc.string({ unit: chars, maxLength: 12 }),
      fc.tuple(sign, fc.constantFrom('', '0', '0b', '0x', '0o'), digits(0, 8)).map((p) => p.join('')),
      fc.tuple(sign, digits(1, 4), fc.array(fc.tuple(fc.constant(':'), digits(1, 2)), { maxLength: 3 }).map((a) => a.flat().join('')), fc.constantFrom('', '.', '.5', '.0_1')).map((p) => p.join('')),
      fc.tuple(sign, digits(0, 5), fc.constantFrom('.', ''), digits(0, 5), fc.constantFrom('', 'e', 'E', 'e+', 'e-', 'E+'), fc.constantFrom('', '1', '10', '308', '400')).map((p) => p.join('')),
      fc.tuple(fc.integer({ min: 0, max: 2100 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 33 }), fc.boolean(), fc.constantFrom('T', 't', ' ', '\t', '  '),
        fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom('', '.', '.5', '.1234567'), fc.constantFrom('', 'Z', ' Z', '+1', '-05:30', '+24', '+23:59', ' -7'))
        .map(([y, mo, d, time, sep, h, mi, s, frac, tz]) => {
          const pad = (n: number, w: number) => String(n).padStart(w, '0');
          const date = `${pad(y, 4)}-${pad(mo, time ? 1 : 2)}-${pad(d, 2)}`;
          return time ? `${date}${sep}${h}:${pad(mi, 2)}:${pad(s, 2)}${frac}${tz}` : date;
        }),
    );
    const texts = fc.sample(arb, { numRuns: 4000, seed: 13 });
    expect(compareAll(texts)).toEqual([]);
  });

  it('on explicitly tagged scalars', () => {
    const cases: [string, string][] = [
      ['tag:yaml.org,2002:int', '0x1f'], ['tag:yaml.org,2002:int', 'abc'], ['tag:yaml.org,2002:int', '12'], ['tag:yaml.org,2002:int', ''],
      ['tag:yaml.org,2002:float', '1e3'], ['tag:yaml.org,2002:float', 'abc'], ['tag:yaml.org,2002:float', '.NaN'],
      ['tag:yaml.org,2002:bool', 'y'], ['tag:yaml.org,2002:bool', 'ON'], ['tag:yaml.org,2002:str', '12'], ['tag:yaml.org,2002:null', 'x'],
      ['tag:yaml.org,2002:timestamp', '2026-01-01'], ['tag:yaml.org,2002:timestamp', 'soon'], ['!custom', 'x'], ['tag:yaml.org,2002:python/name:os.system', 'x'],
    ];
    const answer = askPyYaml({ tagged: cases });
    const diffs = cases.map(([tag, text], i) => {
      const ours = constructTagged(tag, text);
      const py = answer.tagged[i];
      // Where PyYAML succeeds, the value must agree (bool/int/float/str/null); an int written as float text is not a concern.
      if ('error' in py) return ours.error ? '' : `${tag} ${text}: PyYAML refuses, ours ${JSON.stringify(ours)}`;
      return disagreement(text, ours, py);
    }).filter(Boolean);
    expect(diffs).toEqual([]);
  });
});

describe('scalarKey: the JSON key the platform receives', () => {
  it.each([
    ['yes', 'true'], ['off', 'false'], ['~', 'null'], ['0x10', '16'], ['1.0', '1.0'], ['1.5e+16', '1.5e+16'], ['100000.', '100000.0'],
    ['.00001', '1e-05'], ['.0001', '0.0001'], ['.inf', 'Infinity'], ['-.inf', '-Infinity'], ['.nan', 'NaN'], ['2026-01-01', '2026-01-01'], ['=', '='], ['plain', 'plain'],
  ])('%j -> %j', (text, key) => {
    expect(scalarKey(resolvePlainScalar(text))).toBe(key);
  });
  it('spells floats as Python does', () => {
    const answer = askPyYaml({ scalars: ['1.0', '123.456', '1e+16', '1.5e-7', '0.0001', '1e+15', '123456789012345680000.', '-0.0', '2.5e+300'].map((s) => s.replace(/^1e/, '1.0e')) });
    for (const py of answer.scalars) {
      if ('error' in py) throw new Error(py.error);
      expect(pythonFloatRepr(pyFloat(py.v as string))).toBe(py.v);
    }
  });
});
