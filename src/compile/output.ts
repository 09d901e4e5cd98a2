// Compile: how a resource is written as a file: its place in a repository layout and its YAML text.
import { Document, isScalar, visit } from 'yaml';
import { resolvePlainScalar } from '../parse/scalars.ts';

/** Where a resource goes in a folder of manifests (as `dump --out` and `build --out` write them), '/'-separated. */
export function manifestPath(type: string, name: string): string {
  const file = `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`;
  if (type === 'provider-account/virtual-model') return `virtual-models/${file}`;
  if (type === 'provider-account/guardrail-config-group') return `guardrails/${file}`;
  if (type === 'provider-account/mcp-server-group') return `mcp-servers/groups/${file}`;
  if (type.startsWith('provider-account/')) return `providers/${type.slice('provider-account/'.length)}/${file}`;
  if (type.startsWith('mcp-server/')) return `mcp-servers/${file}`;
  if (type.startsWith('gateway-')) return `gateway/${type}.yaml`;
  if (type === 'tenant-budget-config' || type === 'team-budget-config') return `budgets/${type}/${file}`;
  if (type === 'virtual-account') return `virtual-accounts/${file}`;
  if (type === 'team') return `teams/${file}`;
  if (type === 'secret-group') return `secret-groups/${file}`;
  return `other/${type.replace(/\//g, '_')}/${file}`;
}

/**
 * A manifest as YAML text: comment lines first, then `type` and `name`, then the other fields in their order.
 * YAML 1.1 as the platform reads it; short lists of plain values on one line (`model_types: [chat]`).
 */
export function manifestYaml(manifest: Record<string, unknown>, header: readonly string[] = []): string {
  const { type, name, ...rest } = manifest;
  // No merge-key handling: a `<<` in the data is an ordinary string (quoted below), never a merge.
  const doc = new Document({ type, name, ...rest }, { version: '1.1', merge: false, customTags: (tags) => tags.filter((t) => !(typeof t === 'object' && t.tag === 'tag:yaml.org,2002:merge')) });
  visit(doc, {
    Seq(_, node) { if (node.items.length <= 8 && node.items.every((i) => isScalar(i))) node.flow = true; },
    // A string PyYAML would read as something else when plain (`=`, `y` as a key, `1e3`...) is quoted, so that the
    // platform's CLI reads back exactly the string that was written.
    Scalar(_, node) { if (typeof node.value === 'string' && resolvePlainScalar(node.value).tag !== 'str') node.type = 'QUOTE_DOUBLE'; },
  });
  const comments = header.map((l) => `# ${l}`.trimEnd()).join('\n');
  return `${comments ? `${comments}\n` : ''}${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}
