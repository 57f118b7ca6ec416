import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ExpressionChange, ExpressionMatrix, ExpressionToggle } from '../../src/lib/backend';
import { connection } from '../../src/lib/connection.svelte';
import TenantsView from '../../src/lib/tenants/TenantsView.svelte';
import { activeOf, callsOf, matrix, mockBackend, savedConnection, tenant, tenantReport } from './fixtures';

const region = { schema: 'public', table: 'deals', column: 'region' };
const stage = { schema: 'public', table: 'deals', column: 'stage' };

/** The matrix fixture's field ids, by reference. */
const fieldIdOf = (ref: { column: string }): number => (ref.column === 'region' ? 4 : 7);

/** expression_set as the engine answers it: every toggle reported with its new state. */
const changes = (args: Record<string, unknown>): ExpressionChange[] =>
  (args.toggles as ExpressionToggle[]).map((toggle, i) => ({
    tenant_id: toggle.tenant_id,
    field: toggle.field,
    field_id: fieldIdOf(toggle.field),
    before: !toggle.enabled,
    after: toggle.enabled,
    changed: true,
    mutation_id: i + 1,
  }));

function setup(options: { readOnly?: boolean; handlers?: Parameters<typeof mockBackend>[0] } = {}) {
  const calls = mockBackend({
    tenants_list: () => tenantReport([tenant('1', { name: 'Acme' }), tenant('2', { name: null, approx_rows: 12_345, approx_bytes: 3 * 1024 * 1024, measured: false })]),
    expression_matrix: () => matrix(),
    expression_set: changes,
    ...options.handlers,
  });
  connection.set(activeOf(savedConnection({ read_only: options.readOnly ?? false })));
  render(TenantsView);
  return calls;
}

const cell = (field: string, tenantId: string) => screen.getByRole('button', { name: `${field} for ${tenantId}` });
const stateOf = (field: string, tenantId: string) => cell(field, tenantId).getAttribute('data-state');

async function matrixShown(): Promise<HTMLElement> {
  return screen.findByTestId('expression-matrix');
}

describe('tenants view', () => {
  it('lists tenants with sizes, "~" marking estimates', async () => {
    setup();
    await matrixShown();
    await fireEvent.click(screen.getByRole('tab', { name: /Tenants/ }));
    const table = screen.getByTestId('tenant-table');
    const acme = table.querySelector('[data-tenant="1"]') as HTMLElement;
    const two = table.querySelector('[data-tenant="2"]') as HTMLElement;
    expect(acme.textContent).toContain('Acme');
    expect(acme.textContent).toContain('1,000');
    expect(acme.textContent).not.toContain('~');
    expect(two.textContent).toContain('—');
    expect(two.textContent).toContain('~12,345');
    expect(two.textContent).toContain('~3.0 MB');
    expect(screen.getByText('tenant_id')).toBeTruthy();
  });

  it('shows each cell as an explicit setting or the field default', async () => {
    setup();
    const grid = await matrixShown();
    const header = grid.querySelector('[data-field="deals.region"]') as HTMLElement;
    expect(header.textContent).toContain('region');
    expect(header.textContent).toContain('default off');
    expect(grid.querySelector('[data-field="deals.stage"]')?.textContent).toContain('default on');
    expect(stateOf('deals.region', '1')).toBe('explicit-on');
    expect(stateOf('deals.region', '2')).toBe('default-off');
    expect(stateOf('deals.stage', '2')).toBe('default-on');
  });

  it('toggles one cell with expression_set and the reason', async () => {
    const calls = setup();
    await matrixShown();
    await fireEvent.input(screen.getByLabelText('Reason for changes'), { target: { value: 'tenant 2 bought regions' } });
    await fireEvent.click(cell('deals.region', '2'));
    await waitFor(() => expect(stateOf('deals.region', '2')).toBe('explicit-on'));
    expect(callsOf(calls, 'expression_set').map((call) => call.args)).toEqual([
      { toggles: [{ tenant_id: '2', field: region, enabled: true }], reason: 'tenant 2 bought regions' },
    ]);
    // A default-on cell toggles to an explicit off.
    await fireEvent.click(cell('deals.stage', '1'));
    await waitFor(() => expect(stateOf('deals.stage', '1')).toBe('explicit-off'));
    expect(callsOf(calls, 'expression_set')[1]?.args.toggles).toEqual([{ tenant_id: '1', field: stage, enabled: false }]);
  });

  it('switches a whole row in one call', async () => {
    const calls = setup();
    await matrixShown();
    await fireEvent.click(screen.getByRole('button', { name: 'All off: 1' }));
    await waitFor(() => expect(stateOf('deals.stage', '1')).toBe('explicit-off'));
    expect(stateOf('deals.region', '1')).toBe('explicit-off');
    expect(stateOf('deals.region', '2')).toBe('default-off');
    expect(callsOf(calls, 'expression_set').map((call) => call.args.toggles)).toEqual([
      [
        { tenant_id: '1', field: region, enabled: false },
        { tenant_id: '1', field: stage, enabled: false },
      ],
    ]);
  });

  it('switches a whole column in one call, over the tenants shown', async () => {
    const calls = setup();
    await matrixShown();
    await fireEvent.click(screen.getByRole('button', { name: 'All on: deals.region' }));
    await waitFor(() => expect(stateOf('deals.region', '2')).toBe('explicit-on'));
    expect(callsOf(calls, 'expression_set')[0]?.args.toggles).toEqual([
      { tenant_id: '1', field: region, enabled: true },
      { tenant_id: '2', field: region, enabled: true },
    ]);

    await fireEvent.input(screen.getByLabelText('Filter tenants'), { target: { value: 'tenant 1' } });
    expect(screen.queryByRole('button', { name: 'deals.region for 2' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'All off: deals.stage' }));
    await waitFor(() => expect(callsOf(calls, 'expression_set')).toHaveLength(2));
    expect(callsOf(calls, 'expression_set')[1]?.args.toggles).toEqual([{ tenant_id: '1', field: stage, enabled: false }]);
  });

  it('filters fields', async () => {
    setup();
    const grid = await matrixShown();
    await fireEvent.input(screen.getByLabelText('Filter fields'), { target: { value: 'STAGE' } });
    expect(grid.querySelector('[data-field="deals.region"]')).toBeNull();
    expect(grid.querySelector('[data-field="deals.stage"]')).toBeTruthy();
  });

  it('disables toggles on a read-only connection', async () => {
    const calls = setup({ readOnly: true });
    await matrixShown();
    const button = cell('deals.region', '2') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toMatch(/Read-only connection/);
    expect((screen.getByRole('button', { name: 'All on: 1' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'All off: deals.stage' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(button);
    expect(callsOf(calls, 'expression_set')).toHaveLength(0);
  });

  it('re-reads the database on Refresh (changes made elsewhere appear)', async () => {
    let current: ExpressionMatrix = matrix();
    const calls = setup({ handlers: { expression_matrix: () => current } });
    await matrixShown();
    expect(stateOf('deals.stage', '2')).toBe('default-on');
    // Another app instance switched stage off for tenant 2.
    current = { ...matrix(), cells: [...matrix().cells, { tenant_id: '2', field_id: 7, is_enabled: false }] };
    await fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(stateOf('deals.stage', '2')).toBe('explicit-off'));
    expect(callsOf(calls, 'expression_matrix')).toHaveLength(2);
    expect(callsOf(calls, 'tenants_list')).toHaveLength(2);
    expect(callsOf(calls, 'expression_matrix')[0]?.args).toEqual({ featureGroup: null });
  });

  it('shows a toggle error in place', async () => {
    setup({
      handlers: {
        expression_set: () => {
          throw { code: 'not_found', message: 'tenant 2 does not exist', hint: 'Refresh: the tenant may have been deleted.' };
        },
      },
    });
    await matrixShown();
    await fireEvent.click(cell('deals.region', '2'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('tenant 2 does not exist');
    expect(alert.textContent).toContain('Refresh: the tenant may have been deleted.');
    expect(stateOf('deals.region', '2')).toBe('default-off');
  });

  it('keeps the tenants list when the matrix cannot be read', async () => {
    setup({
      handlers: {
        expression_matrix: () => {
          throw { code: 'not_initialised', message: 'IndexPilot is not initialised in database crm.', hint: 'run: indexpilot init' };
        },
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('not initialised');
    await fireEvent.click(screen.getByRole('tab', { name: /Tenants/ }));
    expect(within(screen.getByTestId('tenant-table')).getByText('Acme')).toBeTruthy();
  });
});
