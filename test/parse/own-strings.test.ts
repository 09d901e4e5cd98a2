// Parsed values are strings of their own: data kept for a whole run must not keep the texts it was read from alive
// (V8 cuts a string of 13 or more characters out of a longer one as a view that holds the whole longer string).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ownString } from '../../src/core/text.ts';
import { parseSource, releasePositions } from '../../src/parse/yaml.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const MB = 1024 * 1024;
/** About 24 MB of comments: nothing of them is data. */
const filler = () => `# ${'x'.repeat(1000)}\n`.repeat(24_000);

/**
 * The heap a document's data holds on to once only the data is kept: the text (made here, in this function) is then
 * unreachable unless the data's strings are views into it.
 */
function retainedBy(head: string, bytes: boolean): { data: unknown; grew: number } {
  const before = heapAfterGc();
  const data = (() => {
    const text = `${head}${filler()}`;
    const r = parseSource({ path: 'big.yaml', text, ...(bytes ? { bytes: Buffer.from(text, 'utf8') } : {}) });
    expect(r.diagnostics).toEqual([]);
    return r.manifests[0].data;
  })();
  releasePositions();
  // V8 keeps the subject of the last regular expression run (RegExp.input): the yaml engine's last one is the text.
  // That is one string, whatever the project's size; a run on another string lets it go.
  /./.test('.');
  return { data, grew: heapAfterGc() - before };
}

const long = (c: string) => c.repeat(40);

describe('values do not keep the file text alive', () => {
  it('holds the text while the test keeps a view of it (the measure works)', () => {
    const before = heapAfterGc();
    const view = (() => {
      const text = `${long('v')}${filler()}`;
      return text.slice(0, 40);
    })();
    expect(heapAfterGc() - before).toBeGreaterThan(20 * MB);
    expect(view).toBe(long('v'));
  });

  it('fast reader, values cut from the bytes of an all-ASCII file', () => {
    const { data, grew } = retainedBy(`type: t\nname: ${long('n')}\nurl: "${long('u')}"\nlist: [${long('l')}]\n`, true);
    expect(data).toEqual({ type: 't', name: long('n'), url: long('u'), list: [long('l')] });
    expect(grew).toBeLessThan(4 * MB);
  });

  it('fast reader, a file that is not all ASCII (values copied from the text)', () => {
    const { data, grew } = retainedBy(`type: t\nname: ${long('é')}\nurl: '${long('ü')}'\nlist: [${long('l')}]\n`, true);
    expect(data).toEqual({ type: 't', name: long('é'), url: long('ü'), list: [long('l')] });
    expect(grew).toBeLessThan(4 * MB);
  });

  it('the yaml engine (anchors take a file there)', () => {
    const { data, grew } = retainedBy(`type: t\nname: &n ${long('n')}\nalso: *n\nblock: |\n  ${long('b')}\n`, true);
    expect(data).toEqual({ type: 't', name: long('n'), also: long('n'), block: `${long('b')}\n` });
    expect(grew).toBeLessThan(4 * MB);
  });

  it('ownString keeps the characters and drops the view', () => {
    const before = heapAfterGc();
    const own = (() => ownString(`${long('w')}${filler()}`.slice(0, 40)))();
    expect(own).toBe(long('w'));
    expect(heapAfterGc() - before).toBeLessThan(4 * MB);
    expect(ownString('short')).toBe('short');
  });
});
