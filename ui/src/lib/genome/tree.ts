// The schema → table tree beside the field table, flattened into rows so that it can be
// virtualised like every other list that can grow (10,000 tables is a real schema).
import type { RelationKind, TableSummary } from '../backend';

export type TreeRow =
  | { kind: 'all'; key: string; tables: number; fields: number }
  | { kind: 'schema'; key: string; schema: string; tables: number; fields: number; expanded: boolean }
  | { kind: 'table'; key: string; table: TableSummary };

export interface TreeSelection {
  schema: string | null;
  table: string | null;
}

interface SchemaGroup {
  schema: string;
  tables: TableSummary[];
  fields: number;
}

function groupBySchema(tables: readonly TableSummary[]): SchemaGroup[] {
  const bySchema = new Map<string, SchemaGroup>();
  for (const table of tables) {
    let group = bySchema.get(table.schema);
    if (!group) {
      group = { schema: table.schema, tables: [], fields: 0 };
      bySchema.set(table.schema, group);
    }
    group.tables.push(table);
    group.fields += table.field_count;
  }
  const groups = [...bySchema.values()].sort((a, b) => (a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : 0));
  for (const group of groups) group.tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return groups;
}

/**
 * @param expanded schemas whose tables are shown
 * @param query case-insensitive substring of the table name; matching schemas open by themselves
 */
export function buildTree(tables: readonly TableSummary[], expanded: ReadonlySet<string>, query: string): TreeRow[] {
  const q = query.trim().toLowerCase();
  const groups = groupBySchema(tables);
  const rows: TreeRow[] = [];
  let fields = 0;
  for (const group of groups) fields += group.fields;
  rows.push({ kind: 'all', key: '*', tables: tables.length, fields });
  for (const group of groups) {
    const matching = q === '' ? group.tables : group.tables.filter((table) => table.name.toLowerCase().includes(q));
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
    for (const table of matching) rows.push({ kind: 'table', key: `t:${table.schema}.${table.name}`, table });
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
