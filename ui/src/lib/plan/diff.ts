// Which nodes of a plan with a proposed index differ from the plan now: a node counts as
// the same when a node of the same type reads the same table through the same index
// anywhere in the other plan (plans reorder and re-nest nodes, so positions say little).
import type { PlanNode } from '../backend';

export function nodeKey(node: PlanNode): string {
  return `${node.node_type}|${node.relation ?? ''}|${node.index ?? ''}`;
}

/** Every node's key in a plan. */
export function planKeys(root: PlanNode): Set<string> {
  const keys = new Set<string>();
  const walk = (n: PlanNode) => {
    keys.add(nodeKey(n));
    n.children.forEach(walk);
  };
  walk(root);
  return keys;
}

/**
 * The measured mean time with the index, estimated by the planner's ratio (the advisor's own
 * estimate): null when nothing was measured or the plan now costs nothing.
 */
export function expectedMs(meanMs: number | undefined, before: number, after: number): number | null {
  if (meanMs === undefined || before <= 0) return null;
  return meanMs * Math.min(1, after / before);
}

/** `0.42 ms`, `12 ms`, `3.4 s`. */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
