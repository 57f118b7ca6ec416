// Which tables the Types view generates for, and the request that describes them.
import type { TableChoice, TypesLang, TypesRequest } from '../backend';

export interface SchemaGroup {
  schema: string;
  tables: TableChoice[];
}

/** `schema.name`: the key of a table in a selection, and how the engine is asked for it. */
export function tableKey(table: TableChoice): string {
  return `${table.schema}.${table.name}`;
}

/** Tables grouped by schema, both in the order the backend listed them. */
export function groupBySchema(tables: readonly TableChoice[]): SchemaGroup[] {
  const groups = new Map<string, TableChoice[]>();
  for (const table of tables) {
    const list = groups.get(table.schema);
    if (list) list.push(table);
    else groups.set(table.schema, [table]);
  }
  return [...groups].map(([schema, list]) => ({ schema, tables: list }));
}

/** Case-insensitive match on `schema.name`. */
export function matchTable(table: TableChoice, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || tableKey(table).toLowerCase().includes(q);
}

/**
 * The request for the selected tables, or `null` when nothing is selected (an empty table
 * list would mean "every table" to the engine). Schemas are those of the selected tables;
 * when every table of them is selected, no table list is sent, so the file's header stays
 * short and new tables appear on the next generation.
 */
export function buildRequest(
  lang: TypesLang,
  tables: readonly TableChoice[],
  selected: ReadonlySet<string>,
): TypesRequest | null {
  const chosen = tables.filter((t) => selected.has(tableKey(t)));
  if (chosen.length === 0) return null;
  const schemas = [...new Set(chosen.map((t) => t.schema))].sort();
  const inSchemas = tables.filter((t) => schemas.includes(t.schema));
  const everything = inSchemas.every((t) => selected.has(tableKey(t)));
  return { lang, schemas, tables: everything ? [] : chosen.map(tableKey) };
}

export const languages: { id: TypesLang; label: string }[] = [
  { id: 'python', label: 'Python' },
  { id: 'typescript', label: 'TypeScript' },
  { id: 'rust', label: 'Rust' },
];
