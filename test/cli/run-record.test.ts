// check's run record: a run over unchanged files reports, in every format and for any part of the project, exactly
// what a run without the cache reports, without reading the per-file cache; any change to the files, the walk or the
// configuration, and a damaged or foreign record, make the run do the work again.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordText, RUN_FORMAT, RUN_VERSION, type RunRecord } from '../../src/project/run-record.ts';
import { REPO, runCli } from '../helpers.ts';

let work: string;
beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'tfy-record-')); });
afterEach(() => { rmSync(work, { recursive: true, force: true }); });

function project(from: string): string {
  const dir = join(work, 'p');
  cpSync(from, dir, { recursive: true, filter: (src) => !/expected\.(out|json)$/.test(src) });
  return dir;
}

const cacheArgs = () => ['--cache-location', `${join(work, 'cache')}/`];
const cacheFile = () => join(work, 'cache', readdirSync(join(work, 'cache')).find((f) => f.endsWith('.jsonl')) as string);
const recordFile = () => cacheFile().replace(/\.jsonl$/, '.run.json');
const GARBAGE = 'not a cache\n';

/** Spoils the per-file cache: a run that still reports right, and leaves it spoilt, was answered by the record. */
function spoilCache() { writeFileSync(cacheFile(), GARBAGE); }
const cacheWasRead = () => readFileSync(cacheFile(), 'utf8') !== GARBAGE;

const FORMATS = ['json', 'stylish', 'junit', 'sarif', 'gitlab', 'compact', 'github'];

async function plainAndCached(dir: string, args: string[]) {
  const plain = await runCli(['check', ...args, '--no-cache'], dir);
  const cached = await runCli(['check', ...args, ...cacheArgs()], dir);
  return { plain, cached };
}

async function expectSame(dir: string, args: string[]) {
  const { plain, cached } = await plainAndCached(dir, args);
  expect(cached.stderr).toBe('');
  expect(cached.code).toBe(plain.code);
  expect(cached.stdout).toBe(plain.stdout);
  return plain;
}

const PROJECTS = ['fixtures/check/compose-errors', 'fixtures/check/schema-errors', 'fixtures/check/yaml-errors', 'fixtures/check/anchors', 'examples/acme-gateway', 'fixtures/reports/mixed'];

describe('the run record', () => {
  for (const rel of PROJECTS) {
    it(`${rel}: an unchanged project is answered from the record, in every format and for every file named alone`, async () => {
      const dir = project(join(REPO, rel));
      await expectSame(dir, ['--format', 'json']);
      const record = JSON.parse(readFileSync(recordFile(), 'utf8'));
      expect(record).toMatchObject({ format: RUN_FORMAT, version: RUN_VERSION });
      spoilCache();
      for (const format of FORMATS) await expectSame(dir, ['--format', format]);
      // A pre-commit run names files: the whole project's record answers for each of them.
      for (const file of record.files as string[]) {
        await expectSame(dir, [file, '--format', 'json']);
        await expectSame(dir, [file, '--format', 'junit']);
      }
      expect(cacheWasRead()).toBe(false);
    });
  }

  for (const rel of PROJECTS) {
    it(`${rel}: after an edit, a run naming the edited file reports as without the cache`, async () => {
      const dir = project(join(REPO, rel));
      await expectSame(dir, ['--format', 'json']);
      // As if the record had been written a minute after the files were (a test writes them moments before), so that
      // their timestamps are trusted and the files not named are taken from the cache unread.
      const record = JSON.parse(readFileSync(recordFile(), 'utf8'));
      record.startedAt += 60_000;
      writeFileSync(recordFile(), JSON.stringify(record));
      const files = record.files as string[];
      for (const file of files) {
        writeFileSync(join(dir, file), `${readFileSync(join(dir, file), 'utf8')}\n# edited\n`);
        await expectSame(dir, [file, '--format', 'json']);
        await expectSame(dir, [file, '--format', 'stylish']);
      }
      // The whole project again: every file changed since the record, so the work is done and a new record written.
      await expectSame(dir, ['--format', 'json']);
      spoilCache();
      await expectSame(dir, ['--format', 'json']);
      expect(cacheWasRead()).toBe(false);
    });
  }

  for (const rel of PROJECTS) {
    it(`${rel}: after an edit, a run over the whole project reports as without the cache, and leaves a record`, async () => {
      const dir = project(join(REPO, rel));
      await expectSame(dir, ['--format', 'json']);
      const record = JSON.parse(readFileSync(recordFile(), 'utf8'));
      record.startedAt += 60_000; // the files' timestamps are trusted: those unchanged are taken from the cache unread
      writeFileSync(recordFile(), JSON.stringify(record));
      const file = (record.files as string[])[0];
      writeFileSync(join(dir, file), `${readFileSync(join(dir, file), 'utf8')}\n# edited\n`);
      await expectSame(dir, ['--format', 'stylish']); // code frames read the files unread so far
      await expectSame(dir, ['--format', 'sarif']);
      spoilCache();
      await expectSame(dir, ['--format', 'json']);
      expect(cacheWasRead()).toBe(false);
    });
  }

  it('a run over the whole project after an edit does not read files whose status is as recorded, and checks any it reads later', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    // (Valid references: a finding of a cross-file rule in a.yaml would need its text on every run.)
    const account = (name: string, extra = '') => `${extra}type: provider-account/openai\nname: ${name}\nauth_data:\n  type: api-key\n  api_key: tfy-secret://acme:llm-keys:K\nintegrations: []\n`;
    writeFileSync(join(dir, 'a.yaml'), account('a', 'x_unknown: 1\n'));
    writeFileSync(join(dir, 'b.yaml'), account('b'));
    const suppressed = '# tfy-lint-disable-file deprecated -- a test\n';
    writeFileSync(join(dir, 'c.yaml'), account('c', `${suppressed}x_unknown: 1\n`));
    await expectSame(dir, ['--format', 'json']);
    // a.yaml and c.yaml change in a way no timestamp shows (which git's index would not see either); b.yaml is edited.
    writeFileSync(join(dir, 'a.yaml'), account('a', 'x_other: 1\n'));
    writeFileSync(join(dir, 'c.yaml'), account('c', `${suppressed}x_other: 1\n`));
    const record = JSON.parse(readFileSync(recordFile(), 'utf8'));
    for (const f of ['a.yaml', 'c.yaml']) {
      const st = statSync(join(dir, f));
      const i = record.files.indexOf(f);
      record.stamps[i] = [st.size, st.mtimeMs, st.ctimeMs, st.ino, record.stamps[i][4]];
      record.startedAt = Math.max(record.startedAt, st.mtimeMs + 60_000, st.ctimeMs + 60_000);
    }
    writeFileSync(recordFile(), JSON.stringify(record));
    writeFileSync(join(dir, 'b.yaml'), `${account('b')}# edited\n`);
    const json = await runCli(['check', '--format', 'json', ...cacheArgs()], dir);
    // a.yaml was not read: its kept findings are reported. c.yaml holds a suppression comment, so it was read.
    const about = (file: string) => (JSON.parse(json.stdout).diagnostics as { file: string; message: string }[])
      .filter((d) => d.file === file && d.message.includes('x_')).map((d) => d.message.match(/x_[a-z]+/)?.[0]);
    expect(about('a.yaml')).toEqual(['x_unknown']);
    expect(about('c.yaml')).toEqual(['x_other']);
    // A code frame needs a.yaml's text, which is no longer the one its kept findings are about: the run stops.
    writeFileSync(recordFile(), JSON.stringify(record)); // (the run above wrote a record of its own)
    const stylish = await runCli(['check', '--format', 'stylish', ...cacheArgs()], dir);
    expect(stylish.code).toBe(2);
    expect(stylish.stderr).toBe('tfy-lint: a.yaml changed while tfy-lint was checking it; run the check again\n');
  });

  it('a run naming files takes the kept results of files whose status is as recorded, without reading them', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    const account = (name: string) => `type: provider-account/openai\nname: ${name}\nauth_data:\n  type: api-key\n  api_key: tfy-secret://acme:keys:K\nintegrations: []\n`;
    // b.yaml repeats the account a.yaml defines: the finding is on b.yaml, pointing at a.yaml.
    writeFileSync(join(dir, 'a.yaml'), account('twin'));
    writeFileSync(join(dir, 'b.yaml'), account('twin'));
    const first = await expectSame(dir, ['b.yaml', '--format', 'json']);
    expect(first.stdout).toContain('unique-names');
    await runCli(['check', ...cacheArgs()], dir);
    // a.yaml now names another account, and the record is made to show its status as recorded (a change no
    // timestamp shows, which git's index would not see either): the kept data of a.yaml is used, unread.
    writeFileSync(join(dir, 'a.yaml'), account('other'));
    const record = JSON.parse(readFileSync(recordFile(), 'utf8'));
    const st = statSync(join(dir, 'a.yaml'));
    const i = record.files.indexOf('a.yaml');
    record.stamps[i] = [st.size, st.mtimeMs, st.ctimeMs, st.ino, record.stamps[i][4]];
    record.startedAt = Math.max(st.mtimeMs, st.ctimeMs) + 60_000;
    writeFileSync(recordFile(), JSON.stringify(record));
    writeFileSync(join(dir, 'b.yaml'), `${account('twin')}# edited\n`);
    const trusted = await runCli(['check', 'b.yaml', '--format', 'json', ...cacheArgs()], dir);
    expect(trusted.stdout).toContain('unique-names');
    // Without the record, a.yaml is read and the names no longer clash.
    rmSync(recordFile());
    const fresh = await runCli(['check', 'b.yaml', '--format', 'json', ...cacheArgs()], dir);
    expect(fresh.stdout).not.toContain('unique-names');
    expect(fresh.stdout).toBe((await runCli(['check', 'b.yaml', '--format', 'json', '--no-cache'], dir)).stdout);
  });

  it('is not used when a file changed, even with its size and modification time put back', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    await expectSame(dir, []);
    const file = join(dir, 'openai.yaml');
    const before = statSync(file);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('name: ', 'nAme: '));
    utimesSync(file, before.atime, before.mtime);
    spoilCache();
    const after = await expectSame(dir, ['--format', 'json']);
    expect(after.stdout).toContain('nAme');
    expect(cacheWasRead()).toBe(true);
  });

  it('compares the content of a file modified too close to the recorded run to trust its timestamps', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    await expectSame(dir, []);
    const file = join(dir, 'openai.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: ', 'nAme: '));
    // A record whose stamps match the file as it is now (a change its timestamps could not show): only the content
    // hash can tell, and it must be compared because the file is as new as the recorded run.
    const record = JSON.parse(readFileSync(recordFile(), 'utf8'));
    const i = record.files.indexOf('openai.yaml');
    const st = statSync(file);
    record.stamps[i] = [st.size, st.mtimeMs, st.ctimeMs, st.ino, record.stamps[i][4]];
    record.startedAt = Math.max(st.mtimeMs, st.ctimeMs);
    writeFileSync(recordFile(), JSON.stringify(record));
    expect((await expectSame(dir, ['--format', 'json'])).stdout).toContain('nAme');
  });

  it('uses a file whose timestamps changed but whose content did not', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'compose-errors'));
    await expectSame(dir, []);
    const record = JSON.parse(readFileSync(recordFile(), 'utf8'));
    const file = join(dir, record.files[0]);
    writeFileSync(file, readFileSync(file, 'utf8'));
    spoilCache();
    await expectSame(dir, ['--format', 'json']);
    expect(cacheWasRead()).toBe(false);
  });

  it.each([
    ['a new file', (dir: string) => writeFileSync(join(dir, 'extra.yaml'), 'type: provider-account/openai\nname: Not_Valid\n')],
    ['a deleted file', (dir: string) => rmSync(join(dir, 'openai.yaml'))],
    ['a changed config', (dir: string) => writeFileSync(join(dir, 'tfy-lint.config.yaml'), 'rules:\n  collaborators: "off"\n')],
    ['a new symbolic link', (dir: string) => symlinkSync(join(dir, 'openai.yaml'), join(dir, 'linked.yaml'))],
    ['a new .gitignore', (dir: string) => writeFileSync(join(dir, '.gitignore'), 'openai.yaml\n')],
  ])('is not used after %s', async (_name, change) => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    await expectSame(dir, []);
    change(dir);
    spoilCache();
    await expectSame(dir, ['--format', 'json']);
    expect(cacheWasRead()).toBe(true);
  });

  it('is written by whole-project runs only, and --fix still fixes with a record in place', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    const text = 'type: provider-account/self-hosted-model\nname: local\nintegrations:\n  - type: integration/model/self-hosted-model\n    name: m\n    url: https://x.example.com/v1/\n    model_server: openai-compatible\n    model_types: [chat]\n';
    writeFileSync(join(dir, 'self.yaml'), text);
    await runCli(['check', 'self.yaml', ...cacheArgs()], dir);
    expect(readdirSync(join(work, 'cache')).some((f) => f.endsWith('.run.json'))).toBe(false);
    const whole = await runCli(['check', '--format', 'json', ...cacheArgs()], dir);
    expect(whole.stdout).toContain('url-format');
    expect(statSync(recordFile()).isFile()).toBe(true);
    const fixed = await runCli(['check', '--fix', '--format', 'json', ...cacheArgs()], dir);
    expect(fixed.written.get(join(dir, 'self.yaml'))).toBe(text.replace('/v1/', '/v1'));
  });

  it('never holds a secret value', async () => {
    const dir = project(join(REPO, 'fixtures', 'check', 'clean'));
    const raw = 'sk-proj-abcdefghijklmnopqrstuvwxT3BlbkFJabcdefghijklmnopqrstu';
    writeFileSync(join(dir, 'leaky.yaml'), `type: provider-account/openai\nname: leaky\nauth_data:\n  type: api-key\n  api_key: ${raw}\nintegrations: []\n`);
    await expectSame(dir, []);
    const text = readFileSync(recordFile(), 'utf8');
    expect(text).toContain('no-raw-secrets');
    for (let i = 0; i + 8 <= raw.length; i++) expect(text).not.toContain(raw.slice(i, i + 8));
  });

  describe('a damaged or foreign record is ignored and replaced', () => {
    const damages: [string, (text: string) => string][] = [
      ['garbage', () => '\u0000 not json'],
      ['empty', () => ''],
      ['truncated', (t) => t.slice(0, Math.floor(t.length / 2))],
      ['another format', (t) => t.replace(RUN_FORMAT, 'other')],
      ['another version', (t) => t.replace(`"version":${RUN_VERSION}`, '"version":99')],
      ['another key', (t) => t.replace(/"key":"[^"]*"/, '"key":"x"')],
      ['a finding of the wrong shape', (t) => t.replace(/"line":\d+,"column"/, '"line":0,"column"')],
      ['a stamp of the wrong shape', (t) => t.replace(/"stamps":\[\[\d+/, '"stamps":[["big"')],
      ['a stamp with a part missing', (t) => t.replace(/"stamps":\[\[\d+,/, '"stamps":[[')],
      ['a document of the wrong shape', (t) => t.replace(/"documents":\[\[\[\d+,\d+/, '"documents":[[[0,0')],
      ['documents for more files than it lists', (t) => t.replace(/"documents":\[/, '"documents":[[],')],
      ['fewer stamps than files', (t) => t.replace(/"stamps":\[\[[^\]]*\],?/, '"stamps":[')],
    ];
    for (const [name, damage] of damages) {
      it(name, async () => {
        const dir = project(join(REPO, 'fixtures', 'check', 'schema-errors'));
        const plain = await expectSame(dir, ['--format', 'json']);
        const text = readFileSync(recordFile(), 'utf8');
        const damaged = damage(text);
        expect(damaged).not.toBe(text); // the damage is there to be found
        writeFileSync(recordFile(), damaged);
        expect((await expectSame(dir, ['--format', 'json'])).stdout).toBe(plain.stdout);
        expect(readFileSync(recordFile(), 'utf8')).not.toBe(damaged); // refused: the run did the work and wrote it anew
        expect(JSON.parse(readFileSync(recordFile(), 'utf8'))).toMatchObject({ format: RUN_FORMAT, version: RUN_VERSION });
        spoilCache();
        await expectSame(dir, ['--format', 'json']);
        expect(cacheWasRead()).toBe(false);
      });
    }
  });
});

describe('the run record as written', () => {
  const record = (n: number): RunRecord => {
    const files = Array.from({ length: n }, (_, i) => `dir/f-${i}.yaml`);
    return {
      key: 'k', startedAt: 1.5, files, stamps: files.map((_, i) => [i, i + 0.25, i, i, `h${i}`]),
      skipped: n ? [{ path: 'l.yaml', severity: 'warning', message: 'a "link"' }] : [],
      documents: files.map((_, i) => (i % 3 ? [[0, 1, i % 2 ? 't' : null, i % 2 ? `n\u2028é😀${i}` : null], [1, 9, null, null]] : [])),
      diagnostics: files.slice(0, 7).map((file) => ({ ruleId: 'schema', severity: 'error', message: 'm', file, docIndex: 0, path: ['a', 0], range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } })),
      suppressed: [],
    };
  };
  /** JSON text with each UTF-16 unit beyond ASCII written as a \\u escape, unit by unit. */
  const escaped = (json: string) => Array.from({ length: json.length }, (_, i) => {
    const unit = json.charCodeAt(i);
    return unit < 0x80 ? json[i] : `\\u${unit.toString(16).padStart(4, '0')}`;
  }).join('');
  it.each([0, 1, 199, 200, 201, 450])('is exactly JSON.stringify of the record, ASCII only, in pieces (%i files)', (n) => {
    const r = record(n);
    const pieces = [...recordText(r)];
    const text = pieces.join('');
    expect(text).toBe(escaped(JSON.stringify({ format: RUN_FORMAT, version: RUN_VERSION, ...r })));
    expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual({ format: RUN_FORMAT, version: RUN_VERSION, ...r });
    if (n > 200) expect(pieces.length).toBeGreaterThan(10);
    // Rows made as they are written (generators) give the same text as the arrays.
    function* each<T>(list: T[]) { for (const item of list) yield item; }
    expect([...recordText({ ...r, stamps: each(r.stamps), documents: each(r.documents) })].join('')).toBe(text);
  });
});
