// Hostile repositories for the load stage: symbolic links (loops, out of the project, broken), special files and
// unreadable entries. `check` always ends, says what it skipped, and still checks every other file.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSource } from '../../src/load/files.ts';
import { REPO, runCli } from '../helpers.ts';

const OPENAI = (name: string) => `type: provider-account/openai\nname: ${name}\nauth_data:\n  type: api-key\n  api_key: tfy-secret://acme:llm-keys:openai\nintegrations: []\ncollaborators:\n  - subject: team:platform\n    role_id: provider-account-manager\n`;

const made: string[] = [];
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tfy-hostile-'));
  made.push(root);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

/** `check --format json` findings as "file line:col severity ruleId message". */
async function findings(root: string, args: string[] = []) {
  const r = await runCli(['check', '--format', 'json', ...args], root);
  const report = JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; column: number; severity: string; ruleId: string; message: string }[]; summary: { files: number } };
  return { code: r.code, files: report.summary.files, lines: report.diagnostics.map((d) => `${d.file} ${d.line}:${d.column} ${d.severity} ${d.ruleId} ${d.message}`) };
}

describe('symbolic links are handled as git does: never followed, always reported', () => {
  it('a link loop and links to the root and to a parent folder end the walk, each reported once', async () => {
    const root = project({ 'accounts/openai.yaml': OPENAI('openai-main') });
    symlinkSync('.', join(root, 'self'));
    symlinkSync('..', join(root, 'accounts', 'up'));
    symlinkSync('loop-b', join(root, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(root, 'loop-b'));
    const r = await findings(root);
    expect(r.lines).toEqual([
      'accounts/up 1:1 warning load symbolic link to a folder points to the project root, which contains the link itself (a loop); it was not followed',
      'loop-a.yaml 1:1 warning load symbolic link is part of a loop; it was not followed',
      'loop-b 1:1 warning load symbolic link is part of a loop; it was not followed',
      'self 1:1 warning load symbolic link to a folder points to the project root, which contains the link itself (a loop); it was not followed',
    ]);
    expect(r.files).toBe(1);
    expect(r.code).toBe(0);
  });

  it('links out of the project are not followed; links inside are noted and their targets checked once', async () => {
    const outside = project({ 'secret.yaml': OPENAI('outside-account'), 'dir/x.yaml': OPENAI('outside-dir') });
    const root = project({ 'accounts/openai.yaml': OPENAI('openai-main'), 'shared/a.yaml': OPENAI('shared-a') });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'outside.yaml'));
    symlinkSync(join(outside, 'dir'), join(root, 'outside-dir'));
    symlinkSync('../shared/a.yaml', join(root, 'accounts', 'alias.yaml'));
    symlinkSync('shared', join(root, 'also-shared'));
    symlinkSync('missing.yaml', join(root, 'broken.yaml'));
    symlinkSync('missing-dir', join(root, 'broken-dir')); // cannot hold manifests as far as anyone can tell: not reported
    const r = await findings(root);
    expect(r.lines).toEqual([
      'accounts/alias.yaml 1:1 info load symbolic link to "shared/a.yaml" was not followed; manifests are checked at their own path, as git stores them',
      'also-shared 1:1 info load symbolic link to the folder "shared" was not followed; manifests are checked at their own path, as git stores them',
      'broken.yaml 1:1 warning load symbolic link points to nothing (broken link); it was not read',
      'outside-dir 1:1 warning load symbolic link to a folder points outside the project; it was not followed (link the file into the project by copying it, or check that folder separately)',
      'outside.yaml 1:1 warning load symbolic link points outside the project; it was not followed (link the file into the project by copying it, or check that folder separately)',
    ]);
    // Two real manifests, each checked once (no duplicate-name finding from a second copy through a link).
    expect(r.files).toBe(2);
  });

  it('a link named on the command line is reported, not read', async () => {
    const outside = project({ 'secret.yaml': OPENAI('outside-account') });
    const root = project({ 'a.yaml': OPENAI('openai-main') });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'outside.yaml'));
    const r = await findings(root, ['outside.yaml']);
    expect(r.lines).toEqual(['outside.yaml 1:1 warning load symbolic link points outside the project; it was not followed (link the file into the project by copying it, or check that folder separately)']);
  });
});

describe('special files are never opened in a blocking way', () => {
  it('a FIFO named like a manifest is reported and the run ends; other files are checked', async () => {
    const root = project({ 'a.yaml': OPENAI('openai-main'), 'b.yaml': 'type: provider-account/openai\nname: B\n' });
    execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
    const r = await findings(root);
    expect(r.lines.filter((l) => l.startsWith('pipe.yaml'))).toEqual(['pipe.yaml 1:1 warning load not a regular file (a FIFO, socket or device); it was not read']);
    expect(r.lines.some((l) => l.startsWith('b.yaml') && l.includes('schema'))).toBe(true);
    const named = await findings(root, ['pipe.yaml']);
    expect(named.lines).toEqual(['pipe.yaml 1:1 warning load not a regular file (a FIFO, socket or device); it was not read']);
  });
  it('readSource refuses a FIFO or a folder by its type without waiting for a writer', () => {
    const root = project({ 'dir.yaml/x': '' });
    execFileSync('mkfifo', [join(root, 'p.yaml')]);
    expect(readSource(root, 'p.yaml', 1000)).toMatchObject({ reason: 'not-a-file', message: 'not a regular file (a FIFO, socket or device); it was not read' });
    expect(readSource(root, 'dir.yaml', 1000)).toMatchObject({ reason: 'not-a-file', message: 'not a regular file (a folder); it was not read' });
    expect(readSource(root, 'gone.yaml', 1000)).toMatchObject({ reason: 'unreadable', message: 'cannot read file (ENOENT); it was not checked' });
  });
});

describe('permission errors become findings and every other file is still checked', () => {
  // Run as an unprivileged user (root reads everything): the CLI bundled from the sources, in a child process.
  let cli: string;
  beforeAll(async () => {
    const dir = join(REPO, 'node_modules', '.cache', 'tfy-lint-test');
    mkdirSync(dir, { recursive: true });
    cli = join(dir, `cli-${process.pid}.mjs`);
    await build({ entryPoints: [join(REPO, 'src', 'cli', 'bin.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: cli, logLevel: 'silent' });
    chmodSync(cli, 0o755);
  }, 60_000);
  afterAll(() => rmSync(cli, { force: true }));

  it('an unreadable file and an unreadable folder are reported; the readable manifest is checked', () => {
    const root = project({ 'a.yaml': 'type: provider-account/openai\nname: A\n', 'locked.yaml': OPENAI('locked'), 'closed/c.yaml': OPENAI('closed') });
    for (const d of [root, join(root, 'closed')]) chmodSync(d, 0o755);
    chmodSync(join(root, 'a.yaml'), 0o644);
    chmodSync(join(root, 'locked.yaml'), 0o000);
    chmodSync(join(root, 'closed'), 0o000);
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    chmodSync(join(root, 'closed'), 0o755);
    const report = JSON.parse(r.stdout) as { diagnostics: { file: string; severity: string; ruleId: string; message: string }[] };
    const byFile = report.diagnostics.map((d) => `${d.file} ${d.severity} ${d.ruleId} ${d.message}`);
    expect(byFile).toContain('closed warning load folder could not be read (permission denied); manifests in it were not checked');
    expect(byFile).toContain('locked.yaml error load cannot read file (permission denied); it was not checked');
    expect(byFile.some((l) => l.startsWith('a.yaml error schema'))).toBe(true);
    expect(r.status).toBe(1);
  });
});
