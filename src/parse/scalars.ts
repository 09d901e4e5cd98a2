// Parse: what a YAML scalar means to the platform, whose CLI reads manifests with PyYAML's SafeLoader.
//
// PyYAML's resolver is its own reading of YAML 1.1 (DOMAIN.md §0.1): `y`/`n` stay strings, `1e3` stays a string,
// `0755` is octal, `12:30` is base 60, `=` cannot be loaded at all. This module reproduces its implicit resolver
// (yaml/resolver.py) and SafeConstructor (yaml/constructor.py) for scalars, pure and without any YAML parser, so
// any parser can call it with a plain scalar's text. A differential test runs it against the real PyYAML.

/** Which implicit type PyYAML gives a plain scalar (the suffix of its `tag:yaml.org,2002:` tag). */
export type ScalarTag = 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'str' | 'merge' | 'value';

export interface ResolvedScalar {
  tag: ScalarTag;
  /**
   * The value as tfy-lint keeps it. Timestamps keep the text as written (a string). `merge` (`<<`) and `value`
   * (`=`) carry their text: they mean something only as a mapping key, and the caller decides (see `error`).
   * Integers beyond 2^53 lose precision as JavaScript numbers do; `.inf`/`.nan` are Infinity/NaN.
   */
  value: null | boolean | number | string;
  /**
   * Set when PyYAML would refuse this scalar wherever it appears (an impossible date, `0b_`), in PyYAML's sense:
   * the platform's CLI stops on the file. For `merge` and `value` it says why they cannot be a value; as a key
   * they are fine (the caller ignores it there).
   */
  error?: string;
}

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP = /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
/** The constructor's own pattern, with the parts it reads. */
const TIMESTAMP_PARTS = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

/**
 * Resolves the text of a PLAIN (unquoted, untagged) scalar as PyYAML's SafeLoader does. Quoted and block scalars
 * are always strings; explicitly tagged ones go through `constructTagged`.
 */
export function resolvePlainScalar(text: string): ResolvedScalar {
  // PyYAML tries the resolvers registered for the first character, in registration order; each pattern only
  // matches texts that start with one of its registered characters, so trying them in that order is the same.
  if (BOOL.test(text)) return { tag: 'bool', value: constructBool(text) };
  if (FLOAT.test(text)) return { tag: 'float', value: constructFloat(text) };
  if (INT.test(text)) return constructInt(text);
  if (text === '<<') return { tag: 'merge', value: '<<', error: 'a merge key (<<) may only be used as a mapping key; PyYAML cannot load it as a value' };
  if (NULL.test(text)) return { tag: 'null', value: null };
  if (TIMESTAMP.test(text)) return constructTimestamp(text);
  if (text === '=') return { tag: 'value', value: '=', error: 'a plain "=" is the YAML value tag, which PyYAML cannot load as a value; quote it' };
  return { tag: 'str', value: text };
}

/** Tags PyYAML's SafeLoader can construct, by their full name. Any other tag makes it refuse the file. */
export const SAFE_TAGS: ReadonlySet<string> = new Set(
  ['null', 'bool', 'int', 'float', 'binary', 'timestamp', 'omap', 'pairs', 'set', 'str', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`),
);

/**
 * Constructs a scalar carrying an explicit tag (`!!int "12"`, `!!str 12`), as SafeConstructor does with its text.
 * `tag` is the full tag (`tag:yaml.org,2002:int`). Tags that do not yield a JSON value the platform can receive
 * (`!!binary`, `!!set`, anything not in SAFE_TAGS) and texts the constructor fails on come back with `error`.
 */
export function constructTagged(tag: string, text: string): ResolvedScalar {
  const short = tag.startsWith('tag:yaml.org,2002:') ? tag.slice('tag:yaml.org,2002:'.length) : undefined;
  switch (short) {
    case 'str': return { tag: 'str', value: text };
    case 'null': return { tag: 'null', value: null };
    case 'bool': {
      const v = BOOL_VALUES.get(text.toLowerCase());
      return v === undefined ? { tag: 'bool', value: text, error: `"${text}" is not a boolean PyYAML knows (yes/no, true/false, on/off)` } : { tag: 'bool', value: v };
    }
    case 'int': {
      const r = constructInt(text);
      return r.error || typeof r.value === 'number' ? r : { tag: 'int', value: text, error: `"${text}" is not an integer` };
    }
    case 'float': {
      const v = constructFloat(text);
      return Number.isNaN(v) && !/^[-+]?\.nan$/i.test(text.replace(/_/g, '')) ? { tag: 'float', value: text, error: `"${text}" is not a number` } : { tag: 'float', value: v };
    }
    case 'timestamp': {
      if (!TIMESTAMP_PARTS.test(text)) return { tag: 'timestamp', value: text, error: `"${text}" is not a date or timestamp` };
      return constructTimestamp(text);
    }
    case 'binary': return { tag: 'str', value: text, error: 'binary data (!!binary) becomes bytes in PyYAML, which cannot be sent to the platform as JSON' };
    default: return { tag: 'str', value: text, error: `PyYAML's safe loader has no constructor for the tag ${displayTag(tag)}` };
  }
}

/** A tag as written in a file: `!!int` for the core ones, `!name` for local ones, `!<uri>` otherwise. */
export function displayTag(tag: string): string {
  if (tag.startsWith('tag:yaml.org,2002:')) return `!!${tag.slice('tag:yaml.org,2002:'.length)}`;
  if (tag.startsWith('!')) return tag;
  return `!<${tag}>`;
}

/**
 * The string a resolved scalar becomes as a mapping key once the platform's CLI sends the manifest as JSON
 * (Python's json module: True -> "true", None -> "null", 1.0 -> "1.0", 1e16 -> "1e+16"). `=` as a key is the
 * string "=" (PyYAML retags it); timestamps keep their text.
 */
export function scalarKey(r: ResolvedScalar): string {
  const v = r.value;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return r.tag === 'float' ? pythonFloatRepr(v, true) : pythonIntText(v);
  return v;
}

const BOOL_VALUES = new Map<string, boolean>([['yes', true], ['no', false], ['true', true], ['false', false], ['on', true], ['off', false]]);

function constructBool(text: string): boolean {
  return BOOL_VALUES.get(text.toLowerCase()) as boolean;
}

/** SafeConstructor.construct_yaml_int: underscores dropped, sign, then 0b / 0x / leading 0 (octal) / base 60 / decimal. */
function constructInt(text: string): ResolvedScalar {
  let s = text.replace(/_/g, '');
  if (s === '') return { tag: 'int', value: text, error: `"${text}" is not an integer` };
  let sign = 1n;
  if (s[0] === '-') sign = -1n;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  let n: bigint | undefined;
  const digits = (body: string, re: RegExp, prefix: string) => (body !== '' && re.test(body) ? BigInt(prefix + body) : undefined);
  if (s === '0') n = 0n;
  else if (s.startsWith('0b')) n = digits(s.slice(2), /^[01]+$/, '0b');
  else if (s.startsWith('0x')) n = digits(s.slice(2), /^[0-9a-fA-F]+$/, '0x');
  else if (s[0] === '0') n = digits(s, /^[0-7]+$/, '0o');
  else if (s.includes(':')) {
    const parts = s.split(':');
    if (parts.every((p) => /^[0-9]+$/.test(p))) {
      n = 0n;
      let base = 1n;
      for (const p of parts.reverse()) { n += BigInt(p) * base; base *= 60n; }
    }
  } else n = digits(s, /^[0-9]+$/, '');
  // Python's int() raises on an empty or invalid body (`0b_`, `0x_`): PyYAML stops with a ValueError.
  if (n === undefined) return { tag: 'int', value: text, error: `"${text}" has no digits; PyYAML cannot read it as an integer` };
  return { tag: 'int', value: Number(sign * n) };
}

/** SafeConstructor.construct_yaml_float, with the same order of additions for base 60 (same rounding). */
function constructFloat(text: string): number {
  let s = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s[0] === '-') sign = -1;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  if (s === '.inf') return sign * Infinity;
  if (s === '.nan') return NaN;
  if (s.includes(':')) {
    const parts = s.split(':').map(pyFloat).reverse();
    let base = 1;
    let value = 0;
    for (const d of parts) { value += d * base; base *= 60; }
    return sign * value;
  }
  return sign * pyFloat(s);
}

/** Python's float() on the decimal texts the patterns admit ("1.", ".5", "1.e+3"), NaN when it would raise. */
function pyFloat(s: string): number {
  if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/.test(s)) return NaN;
  return Number(s.replace(/^\./, '0.').replace(/\.(e|$)/, '.0$1'));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * SafeConstructor.construct_yaml_timestamp builds a Python date or datetime, and refuses impossible ones. tfy-lint
 * keeps the text as written (the manifest's schema fields are strings such as `expiration_date: yyyy-mm-dd`).
 */
function constructTimestamp(text: string): ResolvedScalar {
  const m = TIMESTAMP_PARTS.exec(text)!;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  const bad = (what: string) => ({ tag: 'timestamp' as const, value: text, error: `"${text}" looks like a timestamp but ${what}; PyYAML cannot load it (quote it to keep it a string)` });
  if (year < 1) return bad('year 0 does not exist');
  if (month < 1 || month > 12) return bad(`month ${month} does not exist`);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const dim = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > dim) return bad(`day ${day} does not exist in that month`);
  if (m[4] !== undefined) {
    if (Number(m[4]) > 23) return bad(`hour ${Number(m[4])} is out of range`);
    if (Number(m[5]) > 59) return bad(`minute ${Number(m[5])} is out of range`);
    if (Number(m[6]) > 59) return bad(`second ${Number(m[6])} is out of range`);
    // datetime.timezone needs an offset strictly within ±24 hours.
    if (m[9] !== undefined && Number(m[10]) * 60 + Number(m[11] ?? 0) >= 24 * 60) return bad('its time zone offset is 24 hours or more');
  }
  return { tag: 'timestamp', value: text };
}

function pythonIntText(v: number): string {
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

/** Python's repr of a float (json.dumps spells the non-finite ones Infinity / -Infinity / NaN). */
export function pythonFloatRepr(v: number, json = false): string {
  if (Number.isNaN(v)) return json ? 'NaN' : 'nan';
  if (!Number.isFinite(v)) return v > 0 ? (json ? 'Infinity' : 'inf') : (json ? '-Infinity' : '-inf');
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mant, expText] = Math.abs(v).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  const sign = v < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}
