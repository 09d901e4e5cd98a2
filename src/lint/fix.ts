// Lint: applies rule fixes as text edits, keeping comments, order and formatting; never writes broken YAML.
import { redactLine } from '../core/secrets.ts';
import type { Range } from '../core/diagnostic.ts';
import { parseSource } from '../parse/yaml.ts';

export interface TextEdit { start: number; end: number; text: string }

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function offsetOf(starts: number[], pos: Range['start']): number {
  return (starts[pos.line - 1] ?? 0) + pos.column - 1;
}

/** The YAML source for a new scalar value, in the quoting style of the scalar it replaces. */
export function scalarSource(original: string, value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (original.startsWith('"')) return JSON.stringify(value);
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  const plainSafe = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^#]*$/.test(value) && !/:\s|\s$/.test(value)
    && !/^(true|false|yes|no|on|off|null|~|[-+]?\d[\d_.eE+-]*)$/i.test(value);
  return plainSafe ? value : JSON.stringify(value);
}

export interface FixOutcome { text: string; applied: number; skipped: number; error?: string }

/** Applies non-overlapping edits (later ones first); refuses the result when it no longer parses cleanly. */
export function applyEdits(file: string, text: string, edits: readonly TextEdit[]): FixOutcome {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let applied = 0;
  let skipped = 0;
  let floor = Infinity;
  for (const e of sorted) {
    if (e.end > floor) { skipped++; continue; }
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    floor = e.start;
    applied++;
  }
  const before = parseSource({ path: file, text }).diagnostics.filter((d) => d.ruleId === 'yaml-syntax' && d.severity === 'error').length;
  const after = parseSource({ path: file, text: out }).diagnostics.filter((d) => d.ruleId === 'yaml-syntax' && d.severity === 'error').length;
  if (after > before) return { text, applied: 0, skipped: edits.length, error: 'the fixed text would not parse as YAML; nothing was changed' };
  return { text: out, applied, skipped };
}

/** A unified diff of two versions of a file, for --fix-dry-run. */
export function unifiedDiff(file: string, a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  // Lines are shown as code frames are: a secret on a changed or nearby line is redacted, not printed.
  const show = (line: string) => redactLine(line);
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let i = 0;
  while (i < Math.max(x.length, y.length)) {
    if (x[i] === y[i]) { i++; continue; }
    let j = i;
    while (j < Math.max(x.length, y.length) && x[j] !== y[j]) j++;
    const from = Math.max(0, i - 2);
    const to = Math.min(Math.max(x.length, y.length), j + 2);
    out.push(`@@ -${from + 1},${Math.min(to, x.length) - from} +${from + 1},${Math.min(to, y.length) - from} @@`);
    for (let k = from; k < i; k++) out.push(` ${show(x[k])}`);
    for (let k = i; k < j; k++) if (k < x.length) out.push(`-${show(x[k])}`);
    for (let k = i; k < j; k++) if (k < y.length) out.push(`+${show(y[k])}`);
    for (let k = j; k < to; k++) if (k < x.length) out.push(` ${show(x[k])}`);
    i = to;
  }
  return `${out.join('\n')}\n`;
}
