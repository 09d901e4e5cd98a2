// The project index: manifests by type and name, integrations by address and by a virtual model's slug, in
// repository order, with one value or several under a key.
import { describe, expect, it } from 'vitest';
import { buildProjectIndex } from '../../src/project/index.ts';
import { parseText } from '../helpers.ts';

function manifestsOf(files: Record<string, string>) {
  return Object.entries(files).flatMap(([path, text]) => parseText(text, path).manifests);
}

const FILES = {
  'a.yaml': `type: provider-account/openai
name: openai-main
integrations:
  - type: integration/model/openai
    name: gpt-4o
  - type: integration/model/openai
    name: gpt-4o-mini
`,
  'b.yaml': `type: provider-account/openai
name: openai-main
integrations:
  - type: integration/model/openai
    name: gpt-4o
`,
  'c.yaml': `type: provider-account/virtual-model
name: routing
integrations:
  - type: integration/model/virtual
    name: smart
    slug: smart-model
`,
};

describe('project index', () => {
  const index = buildProjectIndex(manifestsOf(FILES));

  it('finds an integration under its address, every one in repository order when several share it', () => {
    const one = index.integration('openai-main/gpt-4o-mini');
    expect(one.map((r) => [r.account.file, r.index, r.type, r.name])).toEqual([['a.yaml', 1, 'integration/model/openai', 'gpt-4o-mini']]);
    expect(one[0].path).toEqual(['integrations', 1]);
    expect(one[0].data).toEqual({ type: 'integration/model/openai', name: 'gpt-4o-mini' });
    const two = index.integration('openai-main/gpt-4o');
    expect(two.map((r) => r.account.file)).toEqual(['a.yaml', 'b.yaml']);
    expect(index.integration('openai-main/none')).toEqual([]);
  });

  it('finds a virtual model by its slug as by its address', () => {
    expect(index.integration('smart-model').map((r) => r.address)).toEqual(['routing/smart']);
    expect(index.integration('routing/smart').map((r) => r.address)).toEqual(['routing/smart']);
  });

  it('lists every address once and every integration once', () => {
    expect(index.addresses().sort()).toEqual(['openai-main/gpt-4o', 'openai-main/gpt-4o-mini', 'routing/smart', 'smart-model']);
    expect(index.integrations().map((r) => r.address)).toEqual(['openai-main/gpt-4o', 'openai-main/gpt-4o-mini', 'openai-main/gpt-4o', 'routing/smart']);
  });

  it('finds manifests by type and name, all of them when a name repeats', () => {
    expect(index.named('provider-account/openai', 'openai-main').map((m) => m.file)).toEqual(['a.yaml', 'b.yaml']);
    expect(index.named('provider-account/virtual-model', 'routing').map((m) => m.file)).toEqual(['c.yaml']);
    expect(index.named('provider-account/virtual-model', 'openai-main')).toEqual([]);
    // The type and the name are separate parts of the key: one cannot stand for the other.
    expect(index.named('provider-account/openai\u0000openai', 'main')).toEqual([]);
    expect(index.byType('provider-account/*').map((m) => m.file)).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  it('gives a list the caller may change without changing the index', () => {
    const one = index.integration('smart-model');
    one.push(...index.integration('openai-main/gpt-4o'));
    expect(index.integration('smart-model')).toHaveLength(1);
    const two = index.named('provider-account/openai', 'openai-main');
    two.length = 0;
    expect(index.named('provider-account/openai', 'openai-main')).toHaveLength(2);
  });
});
