// The schema → table tree beside the field table, flattened into rows so that it can be
// virtualised like every other list that can grow (10,000 tables is a real schema).
import type { RelationKind, TableSummary } from '../backend';

export type TreeRow =
  | { kind: 'all'; key: string; tables: number; fields: number }
  | { kind: 'schema'; key: string; schema: string; tables: number; fields: number; expanded: boolean }
  | {
      kind: 'table';
      key: string;
      table: TableSummary;
      /** 0 for a table, 1 for a partition, 2 for a partition of a partition, … */
      depth: number;
      /** The table a partition belongs to at the top: its fields are that table's. */
      root: { schema: string; name: string };
      /** Partitions directly under it. */
      children: number;
      expanded: boolean;
    };

export interface TreeSelection {
  schema: string | null;
  table: string | null;
}

interface SchemaGroup {
  schema: string;
  /** Tables that are no partition: a partitioned table stands for its partitions. */
  tables: TableSummary[];
  fields: number;
}

const byName = (a: TableSummary, b: TableSummary): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const tableKey = (schema: string, name: string): string => `${schema}.${name}`;

function groupBySchema(tables: readonly TableSummary[]): SchemaGroup[] {
  const bySchema = new Map<string, SchemaGroup>();
  for (const table of tables) {
    if (table.parent !== null) continue;
    let group = bySchema.get(table.schema);
    if (!group) {
      group = { schema: table.schema, tables: [], fields: 0 };
      bySchema.set(table.schema, group);
    }
    group.tables.push(table);
    group.fields += table.field_count;
  }
  const groups = [...bySchema.values()].sort((a, b) => (a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : 0));
  for (const group of groups) group.tables.sort(byName);
  return groups;
}

/** Partitions by their parent's `schema.name`, sorted by name. */
function partitionsByParent(tables: readonly TableSummary[]): Map<string, TableSummary[]> {
  const out = new Map<string, TableSummary[]>();
  for (const table of tables) {
    if (table.parent === null) continue;
    const key = tableKey(table.parent[0], table.parent[1]);
    const list = out.get(key);
    if (list) list.push(table);
    else out.set(key, [table]);
  }
  for (const list of out.values()) list.sort(byName);
  return out;
}

/**
 * Partitioned tables are one row each, with their partitions folded under them (the genome
 * holds their fields once, on the partitioned table).
 *
 * @param expanded schemas whose tables are shown
 * @param query case-insensitive substring of the table name; matching schemas open by themselves,
 *   and so do partitioned tables with a matching partition
 * @param openTables partitioned tables (`schema.name`) whose partitions are shown
 */
export function buildTree(
  tables: readonly TableSummary[],
  expanded: ReadonlySet<string>,
  query: string,
  openTables: ReadonlySet<string> = new Set(),
): TreeRow[] {
  const q = query.trim().toLowerCase();
  const groups = groupBySchema(tables);
  const partitions = partitionsByParent(tables);
  const matches = (table: TableSummary): boolean => table.name.toLowerCase().includes(q);
  // Whether a table or any partition under it matches (memoised: trees can be deep and wide).
  const found = new Map<string, boolean>();
  const matchesBelow = (table: TableSummary): boolean => {
    const key = tableKey(table.schema, table.name);
    let hit = found.get(key);
    if (hit === undefined) {
      hit = matches(table) || (partitions.get(key) ?? []).some(matchesBelow);
      found.set(key, hit);
    }
    return hit;
  };
  const rows: TreeRow[] = [];
  let fields = 0;
  let count = 0;
  for (const group of groups) {
    fields += group.fields;
    count += group.tables.length;
  }
  rows.push({ kind: 'all', key: '*', tables: count, fields });
  const push = (table: TableSummary, depth: number, root: { schema: string; name: string }): void => {
    const key = tableKey(table.schema, table.name);
    const below = partitions.get(key) ?? [];
    const searching = q !== '' && below.some(matchesBelow);
    const open = below.length > 0 && (openTables.has(key) || searching);
    rows.push({ kind: 'table', key: `t:${key}`, table, depth, root, children: below.length, expanded: open });
    if (!open) return;
    for (const child of below) {
      if (q === '' || matchesBelow(child) || matches(table)) push(child, depth + 1, root);
    }
  };
  for (const group of groups) {
    const matching = q === '' ? group.tables : group.tables.filter(matchesBelow);
    if (q !== '' && matching.length === 0) continue;
    const open = q !== '' || expanded.has(group.schema);
    rows.push({
      kind: 'schema',
      key: `s:${group.schema}`,
      schema: group.schema,
      tables: group.tables.length,
      fields: group.fields,
      expanded: open,
    });
    if (!open) continue;
    for (const table of matching) push(table, 0, { schema: table.schema, name: table.name });
  }
  return rows;
}

/** Short badge text for relation kinds other than a plain table. */
export function kindBadge(kind: RelationKind | string): string | null {
  switch (kind) {
    case 'partitioned':
      return 'partitioned';
    case 'partition':
      return 'partition';
    case 'view':
      return 'view';
    case 'matview':
      return 'mat. view';
    case 'foreign':
      return 'foreign';
    default:
      return null;
  }
}
