// CLI: `tfy-lint rules [ID]` lists the rules, or prints one rule's documentation page.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/text.ts';
import { REGISTRY, RULES } from '../rules/index.ts';
import { CHECK_DOCS } from '../report/generated/rule-docs.ts';
import { packageRoot } from '../validate/schemas.ts';
import type { Io } from './io.ts';

const HELP = `Usage: tfy-lint rules [ID] [--json]

Without ID: lists every rule with its severity in the recommended pack, whether it is fixable, and what it checks.
With ID: prints the rule's documentation (why, how to fix, invalid and valid examples). The ids of tfy-lint's own
checks (load, yaml-syntax, schema, compose, suppression) have pages too.
`;

export async function runRules(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0].replace(/^Unknown/, 'unknown'));
  }
  const { values, positionals } = parsed;
  if (values.help) { io.stdout.write(HELP); return 0; }
  if (positionals.length > 1) throw new UsageError('tfy-lint rules takes at most one rule id');
  const [id] = positionals;
  if (id) {
    const rule = REGISTRY.get(id);
    // The pipeline's own finding ids (schema, yaml-syntax, …) have pages too (docs/checks/, built in).
    if (!rule && CHECK_DOCS[id] !== undefined) {
      io.stdout.write(values.json ? `${JSON.stringify({ id, check: true, docs: CHECK_DOCS[id] }, null, 2)}\n` : CHECK_DOCS[id]);
      return 0;
    }
    if (!rule) throw new UsageError(`unknown rule "${id}"${didYouMean(id, REGISTRY.keys())}; run tfy-lint rules to list them`);
    const doc = join(packageRoot(), 'docs', 'rules', `${id}.md`);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ id, ...summary(id), docs: existsSync(doc) ? readFileSync(doc, 'utf8') : null }, null, 2)}\n`);
    } else {
      io.stdout.write(existsSync(doc) ? readFileSync(doc, 'utf8') : `${id}: ${rule.meta.description}\n`);
    }
    return 0;
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(RULES.map((r) => ({ id: r.id, ...summary(r.id) })), null, 2)}\n`);
    return 0;
  }
  const rows = RULES.map((r) => [r.id, r.meta.recommended === 'warning' ? 'warn' : r.meta.recommended, r.meta.fixable ? 'yes' : '', r.meta.description]);
  const head = ['rule', 'default', 'fixable', 'description'];
  const widths = [0, 1, 2].map((i) => Math.max(head[i].length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => `${row.slice(0, 3).map((c, i) => c.padEnd(widths[i])).join('  ')}  ${row[3]}`.trimEnd();
  io.stdout.write(`${[line(head), ...rows.map(line)].join('\n')}\n\n${RULES.length} rules. "default" is the severity in the recommended pack; tfy-lint rules ID shows a rule's docs.\n`);
  return 0;
}

function summary(id: string) {
  const r = REGISTRY.get(id)!;
  return { description: r.meta.description, recommended: r.meta.recommended, fixable: Boolean(r.meta.fixable), suppressible: r.meta.suppressible !== false, needs: r.meta.needs, appliesTo: r.meta.appliesTo, options: r.meta.options ?? null };
}
