// CLI: `tfy-lint dump`: the live state as a snapshot (--json) or as a folder of YAML manifests (--out DIR).
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseCommand } from './args.ts';
import { manifestPath, manifestYaml } from '../compile/output.ts';
import { UsageError } from '../core/errors.ts';
import { isRecord } from '../core/jsonpath.ts';
import { plural } from '../core/text.ts';
import { ALL_KINDS, kindOf } from '../live/kinds.ts';
import { isMasked, scrub } from '../core/mask.ts';
import { serializeSnapshot, type LiveResource, type LiveState } from '../live/state.ts';
import { loadSchemaSet } from '../validate/schemas.ts';
import type { Io } from './io.ts';
import { LIVE_HELP, LIVE_OPTIONS, liveSource, loadLiveState } from './live-source.ts';

export const DUMP_HELP = `Usage: tfy-lint dump (--json | --out DIR) [options]

Reads the live state of the platform and writes it, either as one JSON snapshot on stdout (the file
\`tfy-lint plan --live-state\` reads) or as one YAML manifest per resource under DIR, which \`tfy-lint check\`
accepts: a way to start a GitOps repository from what a tenant already has. Fields only the platform sets (ids,
FQNs, timestamps) are left out; secret references are kept as the platform returns them, and a secret value
that is not a reference is written masked (replace it with a tfy-secret:// reference before applying).

Options:
      --json               write the snapshot (JSON, documented in docs/plan.md) to stdout
      --out DIR            write YAML manifests under DIR (providers/<provider>/<name>.yaml, gateway/<type>.yaml, ...)
      --force              overwrite files that already exist under DIR
      --kind KIND          read only this kind; repeatable (${ALL_KINDS.slice(0, 5).join(', ')}, or a gateway config type)
${LIVE_HELP}
  -h, --help               show this help

Exit codes: 0 written, 2 usage error, existing files without --force, or the platform could not be read.
`;

const DUMP_OPTIONS = {
  json: { type: 'boolean' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  kind: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  ...LIVE_OPTIONS,
} as const;

/** A resource as a YAML manifest with a header saying where it came from (and what is masked). */
function dumpYaml(r: LiveResource, source: string): string {
  const masked = countMasked(r.manifest);
  const header = [`Written by tfy-lint dump from ${source}.`];
  if (masked) header.push(`${plural(masked, 'secret value')} below ${masked === 1 ? 'is' : 'are'} masked (<redacted:…>): replace ${masked === 1 ? 'it' : 'them'} with tfy-secret:// references.`);
  return manifestYaml(r.manifest, header);
}

function countMasked(v: unknown): number {
  if (typeof v === 'string') return isMasked(v) ? 1 : 0;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countMasked(x), 0);
  if (isRecord(v)) return Object.values(v).reduce((n: number, x) => n + countMasked(x), 0);
  return 0;
}

export async function runDump(args: string[], rawIo: Io): Promise<number> {
  const token = rawIo.env.TFY_API_KEY;
  const io: Io = {
    ...rawIo,
    stdout: { write: (s) => rawIo.stdout.write(scrub(s, [token])), isTTY: rawIo.stdout.isTTY },
    stderr: { write: (s) => rawIo.stderr.write(scrub(s, [token])), isTTY: rawIo.stderr.isTTY },
    writeFile: (p, t) => rawIo.writeFile(p, scrub(t, [token])),
  };
  const { values } = parseCommand(args, DUMP_OPTIONS, false);
  if (values.help) { io.stdout.write(DUMP_HELP); return 0; }
  if (Boolean(values.json) === (values.out !== undefined)) throw new UsageError('dump needs either --json (snapshot on stdout) or --out DIR (YAML manifests)');
  const kinds = values.kind?.length ? values.kind : [...ALL_KINDS];
  for (const k of kinds) if (!ALL_KINDS.includes(k)) throw new UsageError(`unknown --kind "${k}"; use ${ALL_KINDS.join(', ')}`);
  const source = liveSource(values, io, 'dump');
  const schemas = loadSchemaSet();
  const { state, notes } = await loadLiveState(source, kinds, schemas, { skipForbidden: true });
  for (const n of notes) io.stderr.write(`tfy-lint: note: ${n}\n`);
  if (values.json) {
    io.stdout.write(serializeSnapshot(state));
    return 0;
  }
  const known = (type: string) => Object.hasOwn(schemas.catalog.types, type);
  return writeManifests(state, resolve(io.cwd, values.out as string), Boolean(values.force), io, values.out as string, known);
}

function writeManifests(state: LiveState, dir: string, force: boolean, io: Io, shown: string, known: (type: string) => boolean): number {
  const files = new Map<string, string>();
  const skipped: string[] = [];
  for (const r of state.resources) {
    // Only types check knows: the folder must pass check as written.
    if (!kindOf(r.type) || !known(r.type)) { skipped.push(`${r.type} "${r.name}" (a type tfy-lint has no schema for)`); continue; }
    const rel = manifestPath(r.type, r.name);
    if (files.has(rel)) { skipped.push(`${r.type} "${r.name}" (same file as another resource: ${rel})`); continue; }
    files.set(rel, dumpYaml(r, state.source));
  }
  const existing = [...files.keys()].filter((f) => existsSync(join(dir, f)));
  if (existing.length && !force) {
    const list = existing.slice(0, 3).map((f) => join(shown, f).split('\\').join('/')).join(', ');
    throw new UsageError(`${plural(existing.length, 'file')} already exist${existing.length === 1 ? 's' : ''} (${list}${existing.length > 3 ? ', …' : ''}); pass --force to overwrite`);
  }
  for (const [rel, text] of files) io.writeFile(join(dir, rel), text);
  const masked = [...files.values()].filter((t) => t.includes('<redacted:')).length;
  const shownDir = relative(io.cwd, dir).split('\\').join('/') || '.';
  io.stdout.write(`Wrote ${plural(files.size, 'manifest')} to ${shownDir}/ from ${state.source}.\n`);
  if (masked) io.stderr.write(`tfy-lint: ${plural(masked, 'file')} hold secret values that are not tfy-secret:// references; they are written masked: replace them with references before applying\n`);
  for (const s of skipped) io.stderr.write(`tfy-lint: note: not written: ${s}\n`);
  return 0;
}
