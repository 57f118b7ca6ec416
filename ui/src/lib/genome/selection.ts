// Multi-select of fields: click toggles one, shift-click sets the range from the last clicked
// row (in the order shown) to the state of the clicked one, like a file manager.
import type { GenomeRow } from '../backend';

export function toggled(selected: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** Sets every row between `anchorId` and `targetId` (inclusive, in `order`) to `on`. */
export function rangeSet(
  selected: ReadonlySet<number>,
  order: readonly GenomeRow[],
  anchorId: number,
  targetId: number,
  on: boolean,
): Set<number> {
  const from = order.findIndex((row) => row.id === anchorId);
  const to = order.findIndex((row) => row.id === targetId);
  const next = new Set(selected);
  if (from === -1 || to === -1) {
    if (on) next.add(targetId);
    else next.delete(targetId);
    return next;
  }
  const [start, end] = from <= to ? [from, to] : [to, from];
  for (let i = start; i <= end; i++) {
    const id = (order[i] as GenomeRow).id;
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}

/** How many of `rows` are selected: drives the header checkbox (none, some, all). */
export function countSelected(selected: ReadonlySet<number>, rows: readonly GenomeRow[]): number {
  if (selected.size === 0) return 0;
  let count = 0;
  for (const row of rows) if (selected.has(row.id)) count++;
  return count;
}

export function withAll(selected: ReadonlySet<number>, rows: readonly GenomeRow[], on: boolean): Set<number> {
  const next = new Set(selected);
  for (const row of rows) {
    if (on) next.add(row.id);
    else next.delete(row.id);
  }
  return next;
}
