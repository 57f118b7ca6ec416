// Existing indexes by table, so a field's "indexes" cell can name and show them. GenomeRow
// carries only index names; the definitions come with the table summaries.
import type { ExistingIndex, GenomeRow, TableSummary } from '../backend';

export type IndexLookup = ReadonlyMap<string, ReadonlyMap<string, ExistingIndex>>;

const tableKey = (schema: string, table: string) => `${schema}.${table}`;

export function indexLookup(tables: readonly TableSummary[]): IndexLookup {
  const lookup = new Map<string, Map<string, ExistingIndex>>();
  for (const table of tables) {
    lookup.set(tableKey(table.schema, table.name), new Map(table.indexes.map((index) => [index.name, index])));
  }
  return lookup;
}

/** One line per index: its definition when known, else its name. */
export function indexTooltip(lookup: IndexLookup, row: GenomeRow): string {
  const indexes = lookup.get(tableKey(row.schema_name, row.table_name));
  return row.indexed_by
    .map((name) => {
      const index = indexes?.get(name);
      if (!index) return name;
      return `${index.definition}${index.is_valid ? '' : '  (INVALID)'}`;
    })
    .join('\n');
}
