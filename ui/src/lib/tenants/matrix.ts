// The tenant × field expression matrix: explicit settings over per-field defaults. Pure, so the
// rules (what a cell shows, which toggles a bulk action sends) are tested without a DOM.
import type { ExpressionChange, ExpressionToggle, MatrixCell, MatrixField, Tenant } from '../backend';
import { fieldRef } from '../genome/refs';

/** Explicit settings by cell. Absent = the field's default applies. */
export type CellMap = ReadonlyMap<string, boolean>;

export const cellKey = (tenantId: string, fieldId: number) => `${fieldId}\u0000${tenantId}`;

export function cellMap(cells: readonly MatrixCell[]): CellMap {
  return new Map(cells.map((cell) => [cellKey(cell.tenant_id, cell.field_id), cell.is_enabled]));
}

export interface CellState {
  enabled: boolean;
  /** True when set for this tenant; false when it follows the field's default. */
  explicit: boolean;
}

export function cellState(cells: CellMap, tenantId: string, field: MatrixField): CellState {
  const set = cells.get(cellKey(tenantId, field.id));
  return set === undefined ? { enabled: field.default_expression, explicit: false } : { enabled: set, explicit: true };
}

export function toggleOf(tenantId: string, field: MatrixField, enabled: boolean): ExpressionToggle {
  return { tenant_id: tenantId, field: fieldRef(field), enabled };
}

/** "All on/off" for one tenant across the fields shown. */
export function rowToggles(tenantId: string, fields: readonly MatrixField[], enabled: boolean): ExpressionToggle[] {
  return fields.map((field) => toggleOf(tenantId, field, enabled));
}

/** "All on/off" for one field across the tenants shown. */
export function columnToggles(field: MatrixField, tenants: readonly Tenant[], enabled: boolean): ExpressionToggle[] {
  return tenants.map((tenant) => toggleOf(tenant.tenant_id, field, enabled));
}

/**
 * The map after expression_set: every cell the backend reports is now explicit with its
 * `after` value (changed or not, the backend holds that state now).
 */
export function applyChanges(cells: CellMap, changes: readonly ExpressionChange[]): Map<string, boolean> {
  const next = new Map(cells);
  for (const change of changes) next.set(cellKey(change.tenant_id, change.field_id), change.after);
  return next;
}

export function matchTenant(tenant: Tenant, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || tenant.tenant_id.toLowerCase().includes(q) || (tenant.name ?? '').toLowerCase().includes(q);
}

export function matchField(field: MatrixField, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || `${field.schema_name}.${field.table_name}.${field.field_name}`.toLowerCase().includes(q);
}
