import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import type { HistoryEntry, Proposal, StatementUsage, StoredProposal } from '../../src/lib/backend';
import { connection } from '../../src/lib/connection.svelte';
import { fuzzyMatch, highlight, tokens } from '../../src/lib/palette/fuzzy';
import { changeItems, emptyData, paletteItems, type PaletteData, type PaletteState } from '../../src/lib/palette/items';
import { prepare, rank } from '../../src/lib/palette/search';
import { activeOf, browse, callsOf, mockBackend, savedConnection } from './fixtures';

const proposal: Proposal = {
  id: 41,
  kind: 'create',
  schema: 'public',
  table: 'deals',
  columns: ['tenant_id', 'amount'],
  ddl: 'CREATE INDEX CONCURRENTLY "deals_tenant_id_amount_idx" ON "public"."deals" USING btree ("tenant_id", "amount");',
  estimated_size_bytes: 2 * 1024 * 1024,
  benefit: { weighted_cost_before: 9000, weighted_cost_after: 100, write_overhead: 5 },
  statements: [],
  reason: 'equality on tenant_id, range on amount',
  why: { kind: 'create', statements: 1, calls: 900, timed_statements: 0, access: { method: 'btree', keys: ['tenant_id', 'amount'] }, include: [], partial: null, capped_statements: 0, evidence: 'planner' },
  verified: true,
  index_name: 'deals_tenant_id_amount_idx',
} as unknown as Proposal;

const stored: StoredProposal[] = [{ proposal, proposed_by: 'nightly-cron', proposed_at: '2026-12-01T02:00:00Z', refreshed_at: '2026-12-01T02:00:00Z' }];

const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  id: 7,
  change_id: 7,
  occurred_at: '2026-11-29T10:00:00Z',
  kind: 'index_create',
  status: 'proposed',
  actor_role: 'dba',
  schema_name: 'public',
  table_name: 'deals',
  ddl: 'CREATE INDEX CONCURRENTLY "deals_region_idx" ON "public"."deals" USING btree ("region");',
  details_json: { index_name: 'deals_region_idx' },
  ...over,
});

const history: HistoryEntry[] = [
  entry({}),
  entry({ id: 8, status: 'approved' }),
  entry({ id: 9, status: 'applied', details_json: { index: '"public"."deals_region_idx"' } }),
  entry({ id: 10, change_id: 10, status: 'proposed', details_json: { index_name: 'deals_stage_idx' } }),
  entry({ id: 11, change_id: 11, details_json: { index_name: 'deals_old_idx' } }),
  entry({ id: 12, change_id: 11, status: 'rolled_back' }),
];

const statement: StatementUsage = {
  queryid: 5,
  query: 'SELECT * FROM public.deals WHERE tenant_id = $1 AND amount > $2',
  calls: 900,
  total_exec_ms: 1800,
  mean_exec_ms: 2,
  rows: 900,
  shared_blks_read: 0,
  analysis: { kind: 'select', tables: [{ schema: 'public', table: 'deals', access: 'read', known: true }], columns: [], warnings: [] },
} as unknown as StatementUsage;

const open: PaletteState = { active: { id: 'c1', label: 'CRM staging', read_only: false }, theme: 'light', modifier: 'Ctrl' };
const data: PaletteData = { ...emptyData, connections: [savedConnection()], ...browse(), proposals: stored, history, statements: [statement] };

describe('fuzzy matching', () => {
  it('needs every word, in order within a word, anywhere in the text', () => {
    expect(fuzzyMatch(tokens('ord st'), 'public.orders.status')).not.toBeNull();
    expect(fuzzyMatch(tokens('st ord'), 'public.orders.status')).not.toBeNull();
    expect(fuzzyMatch(tokens('tso'), 'public.orders.status')).toBeNull();
    expect(fuzzyMatch(tokens('xyz'), 'public.orders.status')).toBeNull();
    // Letters picked one by one across a long statement are not a match.
    expect(fuzzyMatch(tokens('deals'), 'SELECT "campaigns".* FROM "public"."campaigns" WHERE "campaigns"."tenant_id" = $1 LIMIT 21')).toBeNull();
    expect(fuzzyMatch(tokens('deals'), 'SELECT * FROM "public"."deals" WHERE "deals"."id" = $1')).not.toBeNull();
  });

  it('prefers contiguous matches at word starts, then shorter texts', () => {
    const texts = ['public.order_lines.cost', 'public.orders.status', 'public.orders.status_history', 'public.customers.postal_code'];
    const ranked = rank(
      prepare(texts.map((label) => ({ key: label, group: 'Field', label, detail: '', keywords: '', disabled: null, step: { kind: 'help' } }))),
      'orders status',
    ).map((r) => r.item.label);
    expect(ranked).toEqual(['public.orders.status', 'public.orders.status_history']);
    expect(rank(prepare(texts.map((label) => ({ key: label, group: 'Field', label, detail: '', keywords: '', disabled: null, step: { kind: 'help' } }))), 'ost')[0]?.item.label).toBe(
      'public.orders.status',
    );
  });

  it('marks the matched characters', () => {
    const m = fuzzyMatch(tokens('deals'), 'public.deals');
    expect(highlight('public.deals', m?.positions ?? [])).toEqual([
      { text: 'public.', hit: false },
      { text: 'deals', hit: true },
    ]);
  });
});

describe('what the palette offers', () => {
  it('without a connection: views, actions and connections, the database actions disabled', () => {
    const items = paletteItems({ ...open, active: null }, data);
    expect(new Set(items.map((i) => i.group))).toEqual(new Set(['Action', 'View', 'Connection']));
    expect(items.find((i) => i.label === 'Run the advisor')?.disabled).toBe('Open a connection first');
    expect(items.find((i) => i.label === 'Go to Advisor')?.keys).toEqual(['Ctrl', '6']);
    expect(items.find((i) => i.label === 'Open CRM staging')?.step).toEqual({ kind: 'intent', intent: { view: 'connections', act: 'open', id: 'c1' } });
  });

  it('with one: its tables, fields, statements, proposals and changes too', () => {
    const items = paletteItems(open, data);
    const labels = items.map((i) => i.label);
    expect(labels).toContain('public.deals');
    expect(labels).toContain('billing.invoices.notes');
    expect(labels).toContain(statement.query);
    expect(labels).toContain('Approve and apply: create deals_tenant_id_amount_idx');
    // A plan comparison needs the index's definition and a statement to plan.
    expect(labels).not.toContain('Show plan with deals_tenant_id_amount_idx');
    const withPlan = paletteItems(open, {
      ...data,
      proposals: [{ ...(stored[0] as StoredProposal), proposal: { ...proposal, definition: { method: 'btree' } as unknown as Proposal['definition'], statements: [{ queryid: 5, query: 'SELECT 1', calls: 1, cost_before: 2, cost_after: 1 }] as unknown as Proposal['statements'] } }],
    });
    expect(withPlan.find((i) => i.label === 'Show plan with deals_tenant_id_amount_idx')?.step).toEqual({
      kind: 'intent',
      intent: { view: 'advisor', act: 'compare', proposal: 41 },
    });
    expect(items.find((i) => i.label === 'billing.invoices')?.detail).toContain('2 partitions');
  });

  it('rolls back what is applied, re-applies what was rolled back, leaves proposals to the advisor', () => {
    const labels = changeItems(open, data).map((i) => i.label);
    expect(labels).toEqual([
      'Change 11: create deals_old_idx',
      'Re-apply change 11: create deals_old_idx',
      'Change 7: create deals_region_idx',
      'Roll back change 7: create deals_region_idx',
    ]);
  });

  it('on a read-only connection offers the review but not the writes', () => {
    const items = paletteItems({ ...open, active: { id: 'c1', label: 'CRM staging', read_only: true } }, data);
    expect(items.find((i) => i.label.startsWith('Approve and apply'))?.disabled).toBe('Read-only connection');
    expect(items.find((i) => i.label.startsWith('Roll back change 7'))?.disabled).toBe('Read-only connection');
    expect(items.find((i) => i.label.startsWith('Review proposal'))?.disabled).toBeNull();
  });

  it('lists the short groups before anything is typed, the big ones once something is', () => {
    const prepared = prepare(paletteItems(open, data));
    expect(new Set(rank(prepared, '').map((r) => r.item.group))).toEqual(new Set(['Action', 'View', 'Connection', 'Proposal', 'Change']));
    expect(rank(prepared, 'invoices notes')[0]?.item.label).toBe('billing.invoices.notes');
  });
});

describe('the palette in the app', () => {
  function backend() {
    const saved = savedConnection();
    return mockBackend({
      app_info: () => ({ name: 'IndexPilot', version: '0.1.0', engine_version: '0.1.0' }),
      active_connection: () => activeOf(saved),
      connections_list: () => [saved],
      genome_browse: () => browse(),
      workload_top: () => ({ from: null, to: null, total_statements: 1, unparsable: 0, utility: 0, statements: [statement] }),
      collector_status: () => ({ running: false, interval_s: null, last: { at: null, statements: null, error: null } }),
      advice_stored: () => stored,
      timeline: () => history,
      change_preview: (args) => ({ sql: args.action === 'apply' ? proposal.ddl : 'DROP INDEX CONCURRENTLY IF EXISTS "public"."deals_region_idx";', note: null }),
      change_approve: () => ({ id: 41, state: 'approved' }),
      change_run: (args) => ({ id: args.id, kind: 'index_create', state: args.action === 'apply' ? 'applied' : 'rolled_back', schema: 'public', table: 'deals', index_name: 'x', ddl: '' }),
    });
  }

  async function palette(query: string): Promise<HTMLElement> {
    await fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true });
    const input = screen.getByRole('combobox', { name: 'Search or run a command' });
    await waitFor(() => expect(screen.getByTestId('palette-status').textContent).not.toContain('Reading'));
    await fireEvent.input(input, { target: { value: query } });
    return input;
  }

  it('approves a proposal and rolls a change back from the keyboard', async () => {
    const calls = backend();
    window.location.hash = '#/overview';
    render(App);
    await waitFor(() => expect(connection.active?.id).toBe('c1'));

    let input = await palette('approve amount');
    expect(within(screen.getByRole('listbox')).getAllByRole('option')[0]?.textContent).toContain('Approve and apply: create deals_tenant_id_amount_idx');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(window.location.hash).toBe('#/advisor');
    const confirm = await screen.findByTestId('confirm-run');
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    expect(screen.getByTestId('confirm-ddl').textContent).toBe(proposal.ddl);
    expect(document.querySelector('[data-proposal="41"]')?.classList.contains('focused')).toBe(true);
    await fireEvent.click(confirm);
    expect((await screen.findByTestId('proposal-state')).textContent).toBe('applied');
    expect(callsOf(calls, 'change_run')[0]?.args).toEqual({ id: 41, action: 'apply' });

    input = await palette('roll back 7');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(window.location.hash).toBe('#/timeline');
    await waitFor(() => expect(screen.getByTestId('confirm-ddl').textContent).toContain('DROP INDEX CONCURRENTLY IF EXISTS "public"."deals_region_idx"'));
    await fireEvent.click(screen.getByTestId('confirm-run'));
    await waitFor(() => expect(callsOf(calls, 'change_run')[1]?.args).toEqual({ id: 7, action: 'rollback' }));
  });

  it('finds a field and shows it in the genome, and a statement in the workload', async () => {
    backend();
    window.location.hash = '#/overview';
    render(App);
    await waitFor(() => expect(connection.active?.id).toBe('c1'));
    let input = await palette('invoices notes');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(window.location.hash).toBe('#/genome');
    await waitFor(() => expect((screen.getByLabelText('Search fields') as HTMLInputElement).value).toBe('billing.invoices.notes'));

    input = await palette('deals amount >');
    const first = within(screen.getByRole('listbox')).getAllByRole('option')[0];
    expect(first?.dataset.key).toBe('Statement:5');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(window.location.hash).toBe('#/workload');
    expect(await screen.findByRole('dialog')).toBeTruthy();
  });

  it('says why an action cannot run instead of running it', async () => {
    mockBackend({ connections_list: () => [], active_connection: () => null });
    render(App);
    const input = await palette('run the advisor');
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('palette-message').textContent).toBe('Run the advisor: Open a connection first.');
    expect(window.location.hash).not.toBe('#/advisor');
  });
});
