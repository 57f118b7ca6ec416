import { emit } from '@tauri-apps/api/event';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { FieldRef, FlagEdit, GenomeField, GenomeRow, SyncPlan } from '../../src/lib/backend';
import { connection } from '../../src/lib/connection.svelte';
import GenomeView from '../../src/lib/genome/GenomeView.svelte';
import { activeOf, browse, callsOf, mockBackend, savedConnection } from './fixtures';

/** genome_set_flags as the engine does it: applies the edit and returns the stored fields. */
function setFlags(rows: GenomeRow[]) {
  return (args: Record<string, unknown>): GenomeField[] => {
    const edit = args.edit as FlagEdit;
    return (args.fields as FieldRef[]).map((ref) => {
      const row = rows.find((r) => r.schema_name === ref.schema && r.table_name === ref.table && r.field_name === ref.column);
      if (!row) throw { code: 'not_found', message: `no field ${ref.column}` };
      if (edit.is_indexable !== null) row.is_indexable = edit.is_indexable;
      if (edit.feature_group !== null) row.feature_group = edit.feature_group;
      if (edit.default_expression !== null) row.default_expression = edit.default_expression;
      row.curated_flags = ['edited'];
      return { ...row, curated_by: 'dba', table_oid: 1, attnum: 1, removed_at: null };
    });
  };
}

function setup(options: { readOnly?: boolean; handlers?: Parameters<typeof mockBackend>[0] } = {}) {
  const data = browse();
  const calls = mockBackend({
    genome_browse: () => data,
    genome_set_flags: setFlags(data.fields),
    task_cancel: () => true,
    ...options.handlers,
  });
  connection.set(activeOf(savedConnection({ read_only: options.readOnly ?? false })));
  render(GenomeView);
  return { calls, data };
}

const row = (name: string) => document.querySelector(`[data-field="${name}"]`) as HTMLElement;
const shownFields = () => [...document.querySelectorAll('[role="row"][data-field]')].map((el) => el.getAttribute('data-field'));

/** The group cell is a button until used; clicking it brings up the select. */
async function groupSelect(name: string): Promise<HTMLSelectElement> {
  await fireEvent.click(within(row(name)).getByRole('button', { name: `Feature group: ${name}` }));
  return within(row(name)).getByRole('combobox', { name: `Feature group: ${name}` }) as HTMLSelectElement;
}

const groupShown = (name: string) => within(row(name)).getByRole('button', { name: `Feature group: ${name}` }).textContent?.trim();

async function loaded(): Promise<void> {
  await screen.findByTestId('genome-table');
  await waitFor(() => expect(row('public.deals.id')).toBeTruthy());
}

describe('genome view', () => {
  it('asks for a connection when none is open', () => {
    render(GenomeView);
    expect(screen.getByText('No connection yet — add one in Connections')).toBeTruthy();
  });

  it('renders fields, keys, indexes and the table tree from genome_browse', async () => {
    setup();
    await loaded();
    expect(shownFields()).toEqual([
      'public.deals.id',
      'public.deals.tenant_id',
      'public.deals.amount',
      'public.deals.region',
      'billing.invoices.id',
      'billing.invoices.notes',
    ]);
    expect(screen.getByTestId('genome-count').textContent).toContain('6 fields');
    const id = row('public.deals.id');
    expect(within(id).getByTitle('Primary key').textContent).toBe('PK');
    expect(within(id).getByText('1').getAttribute('title')).toBe('CREATE UNIQUE INDEX deals_pkey ON public.deals USING btree (id)');
    expect(id.textContent).toContain('not null');
    expect(within(row('public.deals.tenant_id')).getByTitle('Foreign key')).toBeTruthy();
    expect(within(row('public.deals.region')).getByLabelText('curated')).toBeTruthy();
    expect(row('public.deals.region').textContent).toMatch(/2\s*\/\s*1/);

    const tree = screen.getByRole('navigation', { name: 'Schemas and tables' });
    const invoices = tree.querySelector('[data-table="billing.invoices"]') as HTMLElement;
    expect(invoices.textContent).toContain('partitioned');
    expect(invoices.textContent).toContain('not analysed');
    expect(tree.querySelector('[data-table="public.deals"]')?.textContent).toContain('~120K rows');
  });

  it('filters by search, group, indexable and the table chosen in the tree', async () => {
    setup();
    await loaded();
    await fireEvent.input(screen.getByLabelText('Search fields'), { target: { value: 'ID' } });
    expect(shownFields()).toEqual(['public.deals.id', 'public.deals.tenant_id', 'billing.invoices.id']);
    expect(screen.getByTestId('genome-count').textContent).toContain('3 of 6 fields');

    await fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await fireEvent.change(screen.getByLabelText('Feature group'), { target: { value: 'custom' } });
    expect(shownFields()).toEqual(['public.deals.region', 'billing.invoices.notes']);
    await fireEvent.change(screen.getByLabelText('Indexable'), { target: { value: 'no' } });
    expect(shownFields()).toEqual(['billing.invoices.notes']);

    await fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    const tree = screen.getByRole('navigation', { name: 'Schemas and tables' });
    await fireEvent.click(tree.querySelector('[data-table="billing.invoices"]') as HTMLElement);
    expect(shownFields()).toEqual(['billing.invoices.id', 'billing.invoices.notes']);
    await fireEvent.click(within(tree).getByText('All fields'));
    expect(shownFields()).toHaveLength(6);
  });

  it('shows a partitioned table once, its partitions folded under it with their bounds', async () => {
    setup();
    await loaded();
    const tree = screen.getByRole('navigation', { name: 'Schemas and tables' });
    const invoices = tree.querySelector('[data-table="billing.invoices"]') as HTMLElement;
    expect(invoices.textContent).toContain('LIST (region) · 2 partitions');
    expect(within(tree).getByText('All fields').parentElement?.textContent).toContain('2 rel. · 6 fields');
    expect(tree.querySelector('[data-table="billing.invoices_eu"]')).toBeNull();

    await fireEvent.click(within(tree).getByRole('button', { name: 'Expand the partitions of invoices' }));
    const eu = tree.querySelector('[data-table="billing.invoices_eu"]') as HTMLElement;
    expect(eu.textContent).toContain("FOR VALUES IN ('eu')");
    // A partition's fields are the partitioned table's.
    await fireEvent.click(eu);
    expect(shownFields()).toEqual(['billing.invoices.id', 'billing.invoices.notes']);
    await fireEvent.click(within(tree).getByRole('button', { name: 'Collapse the partitions of invoices' }));
    expect(tree.querySelector('[data-table="billing.invoices_eu"]')).toBeNull();
  });

  it('sorts by a column, both ways', async () => {
    setup();
    await loaded();
    await fireEvent.click(screen.getByRole('button', { name: 'Field' }));
    expect(shownFields()[0]).toBe('public.deals.amount');
    await fireEvent.click(screen.getByRole('button', { name: /Field/ }));
    expect(shownFields()[0]).toBe('public.deals.tenant_id');
    expect(screen.getByRole('columnheader', { name: /Field/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('edits one field inline with genome_set_flags and its FieldRef, and updates the row without a reload', async () => {
    const { calls } = setup();
    await loaded();
    await fireEvent.input(screen.getByLabelText('Reason for edits'), { target: { value: 'not a search key' } });
    const amount = row('public.deals.amount');
    const checkbox = within(amount).getByLabelText('Indexable: public.deals.amount') as HTMLInputElement;
    expect(checkbox.checked).toBe(true);
    await fireEvent.click(checkbox);
    await waitFor(() => expect(checkbox.checked).toBe(false));
    expect(callsOf(calls, 'genome_set_flags').map((call) => call.args)).toEqual([
      {
        fields: [{ schema: 'public', table: 'deals', column: 'amount' }],
        edit: { is_indexable: false, feature_group: null, default_expression: null },
        reason: 'not a search key',
      },
    ]);
    expect(within(amount).getByLabelText('curated')).toBeTruthy();

    await fireEvent.click(within(amount).getByRole('switch', { name: 'Default expression: public.deals.amount' }));
    await waitFor(() => expect(within(amount).getByRole('switch').getAttribute('aria-checked')).toBe('false'));
    expect(callsOf(calls, 'genome_set_flags')[1]?.args.edit).toEqual({ is_indexable: null, feature_group: null, default_expression: false });
    expect(callsOf(calls, 'genome_browse')).toHaveLength(1);
  });

  it('sets a feature group, existing or new', async () => {
    const { calls } = setup();
    await loaded();
    const select = await groupSelect('public.deals.amount');
    expect(document.activeElement).toBe(select);
    await fireEvent.change(select, { target: { value: 'custom' } });
    await waitFor(() => expect(groupShown('public.deals.amount')).toBe('custom'));
    expect(callsOf(calls, 'genome_set_flags')[0]?.args.edit).toMatchObject({ feature_group: 'custom' });

    const other = await groupSelect('public.deals.id');
    await fireEvent.change(other, { target: { value: '\u0000new' } });
    const input = within(row('public.deals.id')).getByLabelText('New Feature group: public.deals.id');
    await fireEvent.input(input, { target: { value: 'sales' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(callsOf(calls, 'genome_set_flags')).toHaveLength(2));
    expect(callsOf(calls, 'genome_set_flags')[1]?.args).toMatchObject({
      fields: [{ schema: 'public', table: 'deals', column: 'id' }],
      edit: { feature_group: 'sales' },
    });
    await waitFor(() => expect(groupShown('public.deals.id')).toBe('sales'));
    // The new group is offered everywhere now.
    expect(within(screen.getByLabelText('Feature group')).getByText('sales')).toBeTruthy();
  });

  it('edits the selected fields in one call: click, shift-click range, bulk action', async () => {
    const { calls } = setup();
    await loaded();
    await fireEvent.click(within(row('public.deals.tenant_id')).getByLabelText('Select public.deals.tenant_id'));
    await fireEvent.click(within(row('public.deals.region')).getByLabelText('Select public.deals.region'), { shiftKey: true });
    const bar = screen.getByTestId('bulk-bar');
    expect(bar.textContent).toContain('3 selected');
    await fireEvent.click(within(bar).getByRole('button', { name: 'Off' }));
    await waitFor(() => expect(callsOf(calls, 'genome_set_flags')).toHaveLength(1));
    expect(callsOf(calls, 'genome_set_flags')[0]?.args).toEqual({
      fields: [
        { schema: 'public', table: 'deals', column: 'tenant_id' },
        { schema: 'public', table: 'deals', column: 'amount' },
        { schema: 'public', table: 'deals', column: 'region' },
      ],
      edit: { is_indexable: null, feature_group: null, default_expression: false },
      reason: null,
    });
    await waitFor(() =>
      expect(within(row('public.deals.amount')).getByRole('switch').getAttribute('aria-checked')).toBe('false'),
    );
  });

  it('selects all filtered fields from the header', async () => {
    const { calls } = setup();
    await loaded();
    await fireEvent.input(screen.getByLabelText('Search fields'), { target: { value: 'invoices' } });
    await fireEvent.click(screen.getByLabelText('Select all filtered fields'));
    const bar = screen.getByTestId('bulk-bar');
    expect(bar.textContent).toContain('2 selected');
    await fireEvent.change(within(bar).getByLabelText('Feature group for selected fields'), { target: { value: 'core' } });
    await waitFor(() => expect(callsOf(calls, 'genome_set_flags')).toHaveLength(1));
    expect((callsOf(calls, 'genome_set_flags')[0]?.args.fields as FieldRef[]).map((ref) => ref.column)).toEqual(['id', 'notes']);
  });

  it('shows an edit error in place and leaves the row as stored', async () => {
    setup({
      handlers: {
        genome_set_flags: () => {
          throw { code: 'read_only', message: 'This connection is read-only.', hint: 'Edit the connection to allow changes.' };
        },
      },
    });
    await loaded();
    const checkbox = within(row('public.deals.amount')).getByLabelText('Indexable: public.deals.amount') as HTMLInputElement;
    await fireEvent.click(checkbox);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This connection is read-only.');
    expect(alert.textContent).toContain('Edit the connection to allow changes.');
    expect(checkbox.checked).toBe(true);
  });

  it('disables every edit on a read-only connection', async () => {
    const { calls } = setup({ readOnly: true });
    await loaded();
    const amount = row('public.deals.amount');
    const checkbox = within(amount).getByLabelText('Indexable: public.deals.amount') as HTMLInputElement;
    expect(checkbox.disabled).toBe(true);
    expect(checkbox.closest('[title]')?.getAttribute('title')).toMatch(/Read-only connection/);
    expect((within(amount).getByRole('switch') as HTMLButtonElement).disabled).toBe(true);
    expect((within(amount).getByRole('button', { name: 'Feature group: public.deals.amount' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByLabelText('Reason for edits') as HTMLInputElement).disabled).toBe(true);
    // Selecting still works (to look), but the bulk actions are off.
    await fireEvent.click(within(amount).getByLabelText('Select public.deals.amount'));
    for (const name of ['Yes', 'No', 'On', 'Off']) {
      expect((within(screen.getByTestId('bulk-bar')).getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    }
    expect(callsOf(calls, 'genome_set_flags')).toHaveLength(0);
  });

  it('explains a database that is not initialised', async () => {
    setup({
      handlers: {
        genome_browse: () => {
          throw { code: 'not_initialised', message: 'IndexPilot is not initialised in database crm.', hint: 'run: indexpilot init' };
        },
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('not initialised in database crm');
    expect(within(alert).getByRole('link', { name: 'Open Connections' }).getAttribute('href')).toBe('#/connections');
  });
});

const plan: SyncPlan = {
  added: [
    {
      schema: 'public',
      table: 'deals',
      field: 'forecast',
      field_type: 'text',
      type_category: 'S',
      ordinal: 5,
      is_required: false,
      is_primary_key: false,
      table_kind: 'table',
      table_oid: 1,
      attnum: 5,
      description: null,
    },
  ],
  removed: [],
  type_changed: [
    {
      id: 3,
      field: { schema: 'public', table: 'deals', column: 'amount' },
      before: { field_type: 'integer', is_required: false, table_kind: 'table' },
      after: { field_type: 'numeric(12,2)', is_required: true, table_kind: 'table' },
    },
  ],
  renamed: [{ id: 4, from: { schema: 'public', table: 'deals', column: 'regoin' }, to: { schema: 'public', table: 'deals', column: 'region' }, what: 'column' }],
  tables_added: [],
  tables_removed: ['public.old_deals'],
  fingerprint: 'ab12cd34ef56ab78',
};

describe('sync schema', () => {
  it('shows progress, the difference, and applies it, then reloads the genome', async () => {
    let finishPlan: (plan: SyncPlan) => void = () => undefined;
    const planned = new Promise<SyncPlan>((resolve) => (finishPlan = resolve));
    const { calls } = setup({
      handlers: {
        sync_plan: async () => {
          await emit('progress', { task: 'sync', phase: 'columns', fraction: 0.25, message: 'reading columns', done: false });
          return planned;
        },
        sync_apply: () => plan,
      },
    });
    await loaded();
    await fireEvent.click(screen.getByRole('button', { name: 'Sync schema' }));
    const dialog = screen.getByRole('dialog', { name: 'Sync schema with the catalog' });
    const bar = await within(dialog).findByRole('progressbar');
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('25'));
    expect(dialog.textContent).toContain('reading columns');

    finishPlan(plan);
    const apply = await within(dialog).findByRole('button', { name: 'Apply 3 changes' });
    const summary = within(dialog).getByRole('list', { name: 'Summary' });
    expect(summary.textContent).toContain('1 added');
    expect(summary.textContent).toContain('1 type changed');
    expect(summary.textContent).toContain('1 renamed');
    expect(summary.textContent).toContain('1 tables removed');
    expect(dialog.querySelector('[data-section="type_changed"]')?.textContent).toContain(
      'public.deals.amount  integer → numeric(12,2) not null',
    );
    expect(dialog.querySelector('[data-section="renamed"]')?.textContent).toContain('public.deals.regoin → public.deals.region');
    expect(dialog.querySelector('[data-section="tables_removed"]')?.textContent).toContain('public.old_deals');

    await fireEvent.click(apply);
    await within(dialog).findByText(/Applied 3 changes/);
    expect(calls.map((call) => call.cmd)).toEqual(['genome_browse', 'sync_plan', 'sync_apply', 'genome_browse']);
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('cancels a running plan through task_cancel("sync")', async () => {
    let fail: (reason: unknown) => void = () => undefined;
    const planned = new Promise<SyncPlan>((_, reject) => (fail = reject));
    const { calls } = setup({
      handlers: {
        sync_plan: () => planned,
        task_cancel: () => {
          fail({ code: 'cancelled', message: 'cancelled' });
          return true;
        },
      },
    });
    await loaded();
    await fireEvent.click(screen.getByRole('button', { name: 'Sync schema' }));
    const dialog = screen.getByRole('dialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await within(dialog).findByText(/Sync cancelled/);
    expect(callsOf(calls, 'task_cancel')[0]?.args).toEqual({ task: 'sync' });
  });

  it('cannot apply on a read-only connection', async () => {
    setup({ readOnly: true, handlers: { sync_plan: () => plan } });
    await loaded();
    await fireEvent.click(screen.getByRole('button', { name: 'Sync schema' }));
    const apply = (await screen.findByRole('button', { name: 'Apply 3 changes' })) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    expect(apply.title).toMatch(/Read-only connection/);
  });

  it('reports an empty plan', async () => {
    setup({ handlers: { sync_plan: () => ({ added: [], removed: [], type_changed: [], renamed: [], tables_added: [], tables_removed: [], fingerprint: '0000000000000000' }) } });
    await loaded();
    await fireEvent.click(screen.getByRole('button', { name: 'Sync schema' }));
    await screen.findByText('The genome matches the catalog: nothing to apply.');
  });
});
