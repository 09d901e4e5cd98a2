// Plan: traffic shares of weight-based routing before and after a change (a weight only means something against the sum).
import { isRecord } from '../core/jsonpath.ts';
import { keyedShape } from '../live/normalise.ts';
import { formatSegments } from './diff.ts';
import type { PathSegment, TrafficShare } from './types.ts';

interface Block { path: string; weights: Map<string, number> }

/** Every weight-based routing block of a normal form, by display path (keyed segments, so both sides line up). */
function blocks(doc: unknown): Map<string, Block> {
  const out = new Map<string, Block>();
  const walk = (v: unknown, segs: PathSegment[], key: string | number | undefined) => {
    if (Array.isArray(v)) {
      const shape = keyedShape(key, v);
      v.forEach((x, i) => walk(x, [...segs, shape?.key ? { key: shape.key, value: (x as Record<string, string>)[shape.key] } : i], i));
      return;
    }
    if (!isRecord(v)) return;
    if (v.type === 'weight-based-routing' && Array.isArray(v.load_balance_targets)) {
      const weights = new Map<string, number>();
      for (const t of v.load_balance_targets) {
        if (isRecord(t) && typeof t.target === 'string') weights.set(t.target, typeof t.weight === 'number' ? t.weight : 0);
      }
      const path = formatSegments(segs);
      out.set(path, { path, weights });
    }
    for (const [k, x] of Object.entries(v)) walk(x, [...segs, k], k);
  };
  walk(doc, [], undefined);
  return out;
}

function percents(weights: Map<string, number>): Map<string, number> {
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  return new Map([...weights].map(([t, w]) => [t, total > 0 ? Math.round((w / total) * 1000) / 10 : 0]));
}

/** The weight-based blocks whose targets or weights differ between the two documents, with each target's share. */
export function trafficShares(before: unknown, after: unknown): TrafficShare[] {
  const b = blocks(before);
  const a = blocks(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  const out: TrafficShare[] = [];
  for (const path of paths) {
    const pb = b.has(path) ? percents((b.get(path) as Block).weights) : new Map<string, number>();
    const pa = a.has(path) ? percents((a.get(path) as Block).weights) : new Map<string, number>();
    const targets = [...new Set([...pa.keys(), ...pb.keys()])];
    if (targets.every((t) => pa.get(t) === pb.get(t))) continue;
    out.push({
      path,
      targets: targets.map((target) => ({
        target,
        ...(pb.has(target) ? { before: pb.get(target) } : {}),
        ...(pa.has(target) ? { after: pa.get(target) } : {}),
      })),
    });
  }
  return out;
}
