// Row types (Python, TypeScript, Rust) generated from the live schema of the active connection.
import type { GeneratedTypes, TableChoice, TypesRequest } from './bindings';
import { call } from './ipc';

/** Tables, views and materialized views to pick from; IndexPilot's own tables on request. */
export function typesTables(includeMetadata: boolean): Promise<TableChoice[]> {
  return call<TableChoice[]>('types_tables', { includeMetadata });
}

/** The file as it would be saved. */
export function typesGenerate(request: TypesRequest): Promise<GeneratedTypes> {
  return call<GeneratedTypes>('types_generate', { request });
}

/**
 * Generates and writes the file where the person chooses in the system's save dialog.
 * Resolves to the path written, or `null` when the dialog was cancelled.
 */
export function typesSave(request: TypesRequest): Promise<string | null> {
  return call<string | null>('types_save', { request });
}
