import type { FieldRef, GenomeRow } from '../backend';

/** The key genome_set_flags and expression_set take for a field. */
export function fieldRef(row: Pick<GenomeRow, 'schema_name' | 'table_name' | 'field_name'>): FieldRef {
  return { schema: row.schema_name, table: row.table_name, column: row.field_name };
}

export function refKey(ref: FieldRef): string {
  return `${ref.schema}.${ref.table}.${ref.column}`;
}
