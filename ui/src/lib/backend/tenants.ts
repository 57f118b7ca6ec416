// Tenants of the active connection and which fields each one expresses.
import type { ExpressionChange, ExpressionMatrix, ExpressionToggle, TenantReport } from './bindings';
import { call } from './ipc';

export function tenantsList(): Promise<TenantReport> {
  return call<TenantReport>('tenants_list');
}

/** The tenant × field matrix for one feature group; `null` means the "custom" group. */
export function expressionMatrix(featureGroup: string | null = null): Promise<ExpressionMatrix> {
  return call<ExpressionMatrix>('expression_matrix', { featureGroup });
}

/** Sets every toggle in one call; each change is recorded with the reason. */
export function expressionSet(toggles: ExpressionToggle[], reason: string | null): Promise<ExpressionChange[]> {
  return call<ExpressionChange[]>('expression_set', { toggles, reason });
}
