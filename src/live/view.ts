// Live: the view of a live state that rules read through ProjectIndex.live under `plan`.
import { isRecord } from '../core/jsonpath.ts';
import type { LiveIntegration, LiveView } from '../project/index.ts';
import { SINGLETON_TYPES } from './kinds.ts';
import type { LiveState } from './state.ts';

export function liveView(state: LiveState): LiveView {
  const integrations = new Map<string, LiveIntegration>();
  const resources = new Set<string>();
  for (const r of state.resources) {
    resources.add(SINGLETON_TYPES.has(r.type) ? r.type : `${r.type}\u0000${r.name}`);
    if (!r.type.startsWith('provider-account/') || !Array.isArray(r.manifest.integrations)) continue;
    for (const item of r.manifest.integrations) {
      if (!isRecord(item) || typeof item.name !== 'string') continue;
      const li: LiveIntegration = {
        address: `${r.name}/${item.name}`, accountType: r.type, accountName: r.name,
        type: typeof item.type === 'string' ? item.type : undefined, name: item.name, data: item,
      };
      if (!integrations.has(li.address)) integrations.set(li.address, li);
      if (typeof item.slug === 'string' && item.slug && !integrations.has(item.slug)) integrations.set(item.slug, li);
    }
  }
  return {
    kinds: state.kinds,
    hasIntegration: (address) => integrations.has(address),
    integration: (address) => integrations.get(address),
    addresses: () => [...integrations.keys()],
    has: (type, name) => resources.has(SINGLETON_TYPES.has(type) ? type : `${type}\u0000${name}`),
  };
}
