// Lint: inline suppression comments (# tfy-lint-disable-next-line RULE -- reason, # tfy-lint-disable-file RULE -- reason).

export interface Suppression {
  kind: 'next-line' | 'file';
  rules: string[];
  reason: string;
  /** Line of the comment (1-based) and the column where it starts. */
  line: number;
  column: number;
  endColumn: number;
  /** For next-line: the line it silences (the next line that is not blank or a comment). */
  target?: number;
}

/** Text every suppression comment holds: a file without it has none. */
export const SUPPRESSION_MARK = 'tfy-lint-disable';

const DIRECTIVE = /(^|\s)#\s*tfy-lint-disable-(next-line|file)\b(.*)$/;

export function parseSuppressions(text: string): Suppression[] {
  const lines = text.split(/\r?\n/);
  const out: Suppression[] = [];
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    const column = m.index + m[1].length + 1;
    const [list, ...reasonParts] = m[3].split(/\s--\s?|^--\s?/);
    const rules = list.split(/[\s,]+/).filter(Boolean);
    const s: Suppression = { kind: m[2] as Suppression['kind'], rules, reason: reasonParts.join(' -- ').trim(), line: i + 1, column, endColumn: line.length + 1 };
    if (s.kind === 'next-line') {
      for (let j = i + 1; j < lines.length; j++) {
        const t = lines[j].trim();
        if (t === '' || t.startsWith('#')) continue;
        s.target = j + 1;
        break;
      }
    }
    out.push(s);
  });
  return out;
}
