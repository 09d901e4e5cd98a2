// CLI: the command-line conventions every command shares: strict option parsing with one-line usage errors, sizes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options of every command that reads a project (check, plan, build). */
export const PROJECT_OPTIONS = {
  config: { type: 'string', short: 'c' },
  root: { type: 'string' },
  'max-file-size': { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** parseArgs in strict mode; a bad command line becomes a UsageError of one lower-case line. */
export function parseCommand<T extends Options>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    const first = (e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/s, '');
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(first);
    throw new UsageError(ambiguous
      ? `option '${ambiguous[1]}' needs a value; write ${ambiguous[1]}=VALUE for a value that starts with "-"`
      : first.charAt(0).toLowerCase() + first.slice(1));
  }
}

/** A size such as 10MB, 512KB or 2048 (bytes), as --max-file-size takes it. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--max-file-size takes a size such as 10MB, not "${text}"`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}
