// Filtering and sorting the genome's fields: pure functions over plain arrays, fast enough to
// run on every keystroke over 100,000 fields (see tests/bench/genome-filter.bench.test.ts).
// The lowercase search keys are computed once per load, not per keystroke.
import type { GenomeField, GenomeRow } from '../backend';

export type Tri = 'any' | 'yes' | 'no';

export interface GenomeFilter {
  /** Case-insensitive substring of "schema.table.field". */
  search: string;
  /** Case-insensitive substring of the field's type, e.g. "int", "jsonb". */
  type: string;
  /** Exact feature group, or null for any. */
  group: string | null;
  indexable: Tri;
  expressed: Tri;
  /** Only fields a person has curated (curated_flags not empty). */
  curatedOnly: boolean;
  /** From the schema tree: a schema, or a schema and table. */
  schema: string | null;
  table: string | null;
}

export const emptyFilter: GenomeFilter = {
  search: '',
  type: '',
  group: null,
  indexable: 'any',
  expressed: 'any',
  curatedOnly: false,
  schema: null,
  table: null,
};

/** The rows with what filtering needs precomputed, aligned by position. */
export interface PreparedGenome {
  readonly rows: readonly GenomeRow[];
  /** "schema.table.field" in lowercase. */
  readonly keys: readonly string[];
  /** field_type in lowercase. */
  readonly types: readonly string[];
  /** Row position by genome id, for applying edits without a reload. */
  readonly positionById: ReadonlyMap<number, number>;
}

export function prepare(rows: readonly GenomeRow[]): PreparedGenome {
  const keys = new Array<string>(rows.length);
  const types = new Array<string>(rows.length);
  const positionById = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as GenomeRow;
    keys[i] = `${row.schema_name}.${row.table_name}.${row.field_name}`.toLowerCase();
    types[i] = row.field_type.toLowerCase();
    positionById.set(row.id, i);
  }
  return { rows, keys, types, positionById };
}

/** A field is expressed when it is on by default or some tenant has switched it on. */
export function isExpressed(row: GenomeRow): boolean {
  return row.default_expression || row.enabled_tenants > 0;
}

function triMatches(tri: Tri, value: boolean): boolean {
  return tri === 'any' || (tri === 'yes') === value;
}

export function isFiltering(filter: GenomeFilter): boolean {
  return (
    filter.search.trim() !== '' ||
    filter.type.trim() !== '' ||
    filter.group !== null ||
    filter.indexable !== 'any' ||
    filter.expressed !== 'any' ||
    filter.curatedOnly ||
    filter.schema !== null
  );
}

/**
 * The rows that pass every filter, in `order` (row positions from sortOrder) or, without one,
 * in their original order. Sorting is done once per sort change, not per keystroke.
 */
export function filterRows(prepared: PreparedGenome, filter: GenomeFilter, order: ArrayLike<number> | null = null): GenomeRow[] {
  const { rows, keys, types } = prepared;
  const search = filter.search.trim().toLowerCase();
  const type = filter.type.trim().toLowerCase();
  const { group, indexable, expressed, curatedOnly, schema, table } = filter;
  const out: GenomeRow[] = [];
  const count = order === null ? rows.length : order.length;
  for (let n = 0; n < count; n++) {
    const i = order === null ? n : (order[n] as number);
    const row = rows[i] as GenomeRow;
    if (schema !== null && row.schema_name !== schema) continue;
    if (table !== null && row.table_name !== table) continue;
    if (group !== null && row.feature_group !== group) continue;
    if (!triMatches(indexable, row.is_indexable)) continue;
    if (!triMatches(expressed, isExpressed(row))) continue;
    if (curatedOnly && row.curated_flags.length === 0) continue;
    if (type !== '' && !(types[i] as string).includes(type)) continue;
    if (search !== '' && !(keys[i] as string).includes(search)) continue;
    out.push(row);
  }
  return out;
}

export type SortKey = 'field' | 'table' | 'type' | 'required' | 'keys' | 'indexes' | 'indexable' | 'group' | 'default' | 'expressed';

export interface Sort {
  key: SortKey;
  descending: boolean;
}

const keyWeight = (row: GenomeRow) => (row.is_primary_key ? 4 : 0) + (row.is_foreign_key ? 2 : 0) + (row.is_unique ? 1 : 0);

/** The value each row sorts by: computed once per row, not once per comparison. */
const sortValue: Record<SortKey, (row: GenomeRow) => string | number> = {
  field: (row) => row.field_name,
  table: (row) => `${row.schema_name}.${row.table_name}`,
  type: (row) => row.field_type,
  required: (row) => (row.is_required ? 1 : 0),
  keys: keyWeight,
  indexes: (row) => row.indexed_by.length,
  indexable: (row) => (row.is_indexable ? 1 : 0),
  group: (row) => row.feature_group,
  default: (row) => (row.default_expression ? 1 : 0),
  expressed: (row) => row.enabled_tenants * 2 + (row.default_expression ? 1 : 0),
};

/**
 * Each value's rank among the distinct values (few: thousands of tables, dozens of types, a
 * handful of flags), so that the rows can be put in order by a counting sort: linear, stable,
 * and no 100,000-string comparison sort on the UI thread.
 */
function ranks(values: readonly (string | number)[]): { rank: Uint32Array; distinct: number } {
  const unique = [...new Set(values)];
  unique.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0));
  const position = new Map(unique.map((value, i) => [value, i]));
  const rank = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) rank[i] = position.get(values[i] as string | number) as number;
  return { rank, distinct: unique.length };
}

/** Row positions in sorted order; ties keep the original (catalog) order. */
function sortedPositions(rows: readonly GenomeRow[], sort: Sort): number[] {
  const { rank, distinct } = ranks(rows.map(sortValue[sort.key]));
  // Descending reverses the ranks, not the rows: ties still keep catalog order.
  if (sort.descending) for (let i = 0; i < rank.length; i++) rank[i] = distinct - 1 - (rank[i] as number);
  const next = new Uint32Array(distinct + 1);
  for (let i = 0; i < rank.length; i++) {
    const slot = (rank[i] as number) + 1;
    next[slot] = (next[slot] as number) + 1;
  }
  for (let r = 1; r <= distinct; r++) next[r] = (next[r] as number) + (next[r - 1] as number);
  const order = new Array<number>(rows.length);
  for (let i = 0; i < rank.length; i++) {
    const r = rank[i] as number;
    order[next[r] as number] = i;
    next[r] = (next[r] as number) + 1;
  }
  return order;
}

/** The sort as row positions for filterRows, or null for the original order. */
export function sortOrder(prepared: PreparedGenome, sort: Sort | null): number[] | null {
  return sort === null ? null : sortedPositions(prepared.rows, sort);
}

export function sortRows(rows: readonly GenomeRow[], sort: Sort | null): readonly GenomeRow[] {
  if (sort === null) return rows;
  return sortedPositions(rows, sort).map((i) => rows[i] as GenomeRow);
}

/**
 * Merges the fields genome_set_flags returned into the rows: only the curated flags change;
 * counts and keys that GenomeField does not carry stay as they were.
 */
export function applyFieldUpdates(prepared: PreparedGenome, updates: readonly GenomeField[]): PreparedGenome {
  if (updates.length === 0) return prepared;
  const rows = prepared.rows.slice();
  for (const field of updates) {
    const at = prepared.positionById.get(field.id);
    if (at === undefined) continue;
    const row = rows[at] as GenomeRow;
    rows[at] = {
      ...row,
      is_indexable: field.is_indexable,
      default_expression: field.default_expression,
      feature_group: field.feature_group,
      curated_flags: field.curated_flags,
    };
  }
  return { ...prepared, rows };
}

export function distinctGroups(rows: readonly GenomeRow[], known: readonly string[]): string[] {
  const groups = new Set(known);
  for (const row of rows) groups.add(row.feature_group);
  return [...groups].filter((group) => group !== '').sort();
}
