import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Advice, HistoryEntry, StatementUsage } from '../../src/lib/backend';
import { describeEntry, latestStates, matchEntry } from '../../src/lib/timeline/timeline';
import { connection } from '../../src/lib/connection.svelte';
import { sortStatements, tablesOf } from '../../src/lib/workload/statements';
import AdvisorView from '../../src/lib/advisor/AdvisorView.svelte';
import TimelineView from '../../src/lib/timeline/TimelineView.svelte';
import { activeOf, callsOf, mockBackend, savedConnection } from './fixtures';

const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  id: 1,
  change_id: 1,
  occurred_at: '2026-11-29T10:00:00Z',
  kind: 'index_create',
  status: 'proposed',
  actor_role: 'dba',
  actor_os_user: 'ana',
  schema_name: 'crm',
  table_name: 'deals',
  ddl: 'CREATE INDEX CONCURRENTLY "deals_stage_idx" ON "crm"."deals" USING btree ("stage");',
  details_json: { reason: 'helps 3 statements' },
  ...over,
});

const history: HistoryEntry[] = [
  entry({ id: 1 }),
  entry({ id: 2, status: 'approved', details_json: { note: 'ok' } }),
  entry({ id: 3, status: 'applying', details_json: { pid: 42 } }),
  entry({ id: 4, status: 'applied', details_json: { duration_ms: 1500, index: '"crm"."deals_stage_idx"' } }),
  entry({ id: 5, kind: 'validation', status: undefined, details_json: { verdict: 'improved', reason: '80% less time', experiment_id: 7 } }),
  entry({ id: 6, change_id: 6, kind: 'field_enable', status: undefined, tenant_id: '42', field_name: 'region', actor_os_user: 'bo', details_json: {} }),
];

describe('the timeline', () => {
  it("knows each change's state from its latest transition", () => {
    const latest = latestStates(history);
    expect(latest.get(1)?.status).toBe('applied');
    expect(latest.has(6)).toBe(false);
  });

  it('filters by kind, table, tenant and actor', () => {
    const f = { kind: '', table: '', tenant: '', actor: '' };
    expect(history.filter((e) => matchEntry(e, { ...f, kind: 'field_enable' })).map((e) => e.id)).toEqual([6]);
    expect(history.filter((e) => matchEntry(e, { ...f, tenant: '42' })).map((e) => e.id)).toEqual([6]);
    expect(history.filter((e) => matchEntry(e, { ...f, actor: 'bo' })).map((e) => e.id)).toEqual([6]);
    expect(history.filter((e) => matchEntry(e, { ...f, table: 'crm.DEALS' })).length).toBe(6);
  });

  it('says why each entry happened', () => {
    expect(describeEntry(history[0] as HistoryEntry)).toBe('helps 3 statements');
    expect(describeEntry(history[3] as HistoryEntry)).toBe('took 1.5 s');
    expect(describeEntry(history[4] as HistoryEntry)).toBe('80% less time');
  });

  it('offers rollback on an applied change and runs it after confirmation', async () => {
    const calls = mockBackend({
      timeline: () => history,
      change_run: () => ({ id: 1, kind: 'index_create', state: 'rolled_back', schema: 'crm', table: 'deals', index_name: 'deals_stage_idx', ddl: '' }),
      experiment_chart: () => '<svg xmlns="http://www.w3.org/2000/svg"><text>Change 1: mean time before and after</text></svg>',
    });
    connection.set(activeOf(savedConnection()));
    render(TimelineView);
    await fireEvent.click(await screen.findByRole('button', { name: 'Roll back…' }));
    expect((await screen.findByTestId('confirm-ddl')).textContent).toContain('DROP INDEX CONCURRENTLY IF EXISTS "crm"."deals_stage_idx"');
    await fireEvent.click(screen.getByTestId('confirm-run'));
    await waitFor(() => expect(callsOf(calls, 'change_run')[0]?.args).toEqual({ id: 1, action: 'rollback' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Show before/after chart' }));
    const img = (await screen.findByTestId('verdict-chart')) as HTMLImageElement;
    expect(decodeURIComponent(img.src)).toContain('Change 1: mean time before and after');
  });

  it('confirms what the engine will run, with what its text does not say', async () => {
    const note = 'PostgreSQL cannot drop a partitioned table\'s index concurrently: this one statement takes a short ACCESS EXCLUSIVE lock on "crm"."deals" and its 12 partitions.';
    const calls = mockBackend({
      timeline: () => history,
      change_preview: () => ({ sql: 'DROP INDEX IF EXISTS "crm"."deals_stage_idx";', note }),
    });
    connection.set(activeOf(savedConnection()));
    render(TimelineView);
    await fireEvent.click(await screen.findByRole('button', { name: 'Roll back…' }));
    await waitFor(() => expect(screen.getByTestId('confirm-ddl').textContent).toBe('DROP INDEX IF EXISTS "crm"."deals_stage_idx";'));
    expect(screen.getByTestId('confirm-note').textContent).toBe(note);
    expect(callsOf(calls, 'change_preview')[0]?.args).toEqual({ id: 1, action: 'rollback' });
  });

  it('says why a preview failed, before anything runs', async () => {
    mockBackend({
      timeline: () => history,
      change_preview: () => {
        throw { code: 'invalid_input', message: 'change 1: index "crm"."deals_stage_idx" no longer exists' };
      },
    });
    connection.set(activeOf(savedConnection()));
    render(TimelineView);
    await fireEvent.click(await screen.findByRole('button', { name: 'Roll back…' }));
    expect((await screen.findByRole('alert')).textContent).toContain('no longer exists');
    expect(screen.queryByTestId('confirm-note')).toBeNull();
  });
});

describe('the workload', () => {
  const s = (queryid: number, calls: number, total: number, table: string): StatementUsage =>
    ({
      queryid,
      query: `SELECT * FROM ${table} WHERE id = $1`,
      calls,
      total_exec_ms: total,
      mean_exec_ms: total / calls,
      rows: calls,
      shared_blks_read: 0,
      analysis: { kind: 'select', tables: [{ schema: 'crm', table, access: 'read', known: true }], columns: [], warnings: [] },
    }) as unknown as StatementUsage;
  const list = [s(1, 10, 100, 'deals'), s(2, 1000, 50, 'contacts'), s(3, 2, 80, 'notes')];

  it('orders by total time, calls or mean time, and filters on text and tables', () => {
    expect(sortStatements(list, 'total', '').map((x) => x.queryid)).toEqual([1, 3, 2]);
    expect(sortStatements(list, 'calls', '').map((x) => x.queryid)).toEqual([2, 1, 3]);
    expect(sortStatements(list, 'mean', '').map((x) => x.queryid)).toEqual([3, 1, 2]);
    expect(sortStatements(list, 'total', 'crm.contacts').map((x) => x.queryid)).toEqual([2]);
    expect(tablesOf(list[0] as StatementUsage)).toEqual(['crm.deals']);
  });
});

describe('the advisor', () => {
  const advice: Advice = {
    hypopg: true,
    statements_analysed: 12,
    proposals: [
      {
        id: 41,
        kind: 'create',
        schema: 'crm',
        table: 'deals',
        columns: ['tenant_id', 'stage'],
        ddl: 'CREATE INDEX CONCURRENTLY "deals_tenant_id_stage_idx" ON "crm"."deals" USING btree ("tenant_id", "stage");',
        estimated_size_bytes: 4 * 1024 * 1024,
        benefit: { weighted_cost_before: 90000, weighted_cost_after: 1000, write_overhead: 50 },
        statements: [{ queryid: 5, query: 'SELECT * FROM crm.deals WHERE tenant_id = $1 AND stage = $2', calls: 900, cost_before: 100, cost_after: 1 }],
        reason: 'equality on tenant_id and stage',
        why: {
          kind: 'create',
          statements: 1,
          calls: 900,
          timed_statements: 0,
          access: { method: 'btree', keys: ['tenant_id', 'stage'] },
          include: [],
          partial: null,
          capped_statements: 0,
          evidence: 'planner',
        },
        verified: true,
        index_name: 'deals_tenant_id_stage_idx',
      },
    ],
    declined: [{ query: 'SELECT 1', reason_code: 'no_predicate', detail: 'nothing to index' }],
    workload_cost_before: 100000,
    workload_cost_after: 11000,
    workload_source: 'cumulative',
    notes: [{ code: 'random_page_cost', detail: 'random_page_cost is 4 (seq_page_cost 1) while 99.9% of reads hit' }],
    elapsed_seconds: 1.2,
  } as unknown as Advice;
  const ddl = advice.proposals[0]?.ddl ?? '';

  it('runs, shows the evidence, and approves then applies after showing the exact DDL', async () => {
    const calls = mockBackend({
      advice_stored: () => [],
      advise_run: () => advice,
      change_approve: () => ({ id: 41, state: 'approved' }),
      change_run: () => ({ id: 41, kind: 'index_create', state: 'applied', schema: 'crm', table: 'deals', index_name: 'deals_tenant_id_stage_idx', ddl }),
    });
    connection.set(activeOf(savedConnection()));
    render(AdvisorView);
    await fireEvent.input(screen.getByLabelText('Storage budget in MB'), { target: { value: '500' } });
    await fireEvent.click(screen.getByTestId('advise-run'));
    const card = await screen.findByTestId('proposal');
    expect(card.textContent).toContain('equality on tenant_id and stage');
    expect(card.textContent).toContain('CREATE INDEX CONCURRENTLY');
    expect(callsOf(calls, 'advise_run')[0]?.args).toEqual({ budgetBytes: 500 * 1024 * 1024, maxIndexes: 10 });
    await fireEvent.click(screen.getByTestId('approve'));
    expect((await screen.findByTestId('confirm-ddl')).textContent).toBe(ddl);
    await fireEvent.click(screen.getByTestId('confirm-run'));
    expect((await screen.findByTestId('proposal-state')).textContent).toBe('applied');
    expect(callsOf(calls, 'change_approve')[0]?.args).toEqual({ id: 41, note: null });
    expect(callsOf(calls, 'change_run')[0]?.args).toEqual({ id: 41, action: 'apply' });
  });

  it('shows what the server settings mean for the proposals', async () => {
    mockBackend({ advice_stored: () => [], advise_run: () => advice });
    connection.set(activeOf(savedConnection()));
    render(AdvisorView);
    await fireEvent.click(screen.getByTestId('advise-run'));
    const note = await screen.findByTestId('advice-note');
    expect(note.dataset.code).toBe('random_page_cost');
    expect(note.textContent).toContain('random_page_cost is 4');
    // Costs are the planner's own: nothing said of cached pages.
    expect(screen.queryByTestId('advice-cached-pages')).toBeNull();
  });

  it('says when its costs price cached page reads as sequential', async () => {
    mockBackend({ advice_stored: () => [], advise_run: () => ({ ...advice, cached_pages: 0.984 }) });
    connection.set(activeOf(savedConnection()));
    render(AdvisorView);
    await fireEvent.click(screen.getByTestId('advise-run'));
    const cached = await screen.findByTestId('advice-cached-pages');
    expect(cached.textContent?.trim()).toBe('98% of page reads priced as cached');
  });

  it('opens on the proposals the mutation log holds, with who made them, until a run replaces them', async () => {
    const stored = advice.proposals.map((proposal) => ({
      proposal,
      proposed_by: 'nightly-cron',
      proposed_at: '2026-12-01T02:00:00Z',
      refreshed_at: '2026-12-05T02:00:00Z',
    }));
    const calls = mockBackend({ advice_stored: () => stored, advise_run: () => advice });
    connection.set(activeOf(savedConnection()));
    render(AdvisorView);
    const summary = await screen.findByTestId('stored-summary');
    expect(summary.textContent).toMatch(new RegExp(`^${stored.length} proposals? waiting for a decision`));
    expect(screen.getByTestId('proposal').textContent).toContain('CREATE INDEX CONCURRENTLY');
    expect(screen.getByTestId('proposal-origin').textContent).toContain('proposed by nightly-cron');
    expect(screen.getByTestId('proposal-origin').textContent).toContain('figures restated');
    expect(callsOf(calls, 'advise_run')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('advise-run'));
    await screen.findByTestId('advice-summary');
    expect(screen.queryByTestId('stored-summary')).toBeNull();
    // The run's proposals keep their ids: their origin is still shown.
    expect(screen.getByTestId('proposal-origin').textContent).toContain('proposed by nightly-cron');
    expect(callsOf(calls, 'advice_stored').length).toBe(2);
  });

  it('labels an index for the recent partitions of a partitioned table', async () => {
    const first = advice.proposals[0] as Advice['proposals'][number];
    const recent: Advice = {
      ...advice,
      proposals: [
        first,
        {
          ...first,
          id: 42,
          schema: 'app',
          table: 'events_2026_12',
          index_name: 'events_2026_12_tenant_id_occurred_at_idx',
          why: {
            ...first.why,
            recent: { parent: 'app.events', reached: ['app.events_2026_11', 'app.events_2026_12'], of: 12, row_share: 0.12 },
          },
        } as Advice['proposals'][number],
      ],
    };
    mockBackend({ advice_stored: () => [], advise_run: () => recent });
    connection.set(activeOf(savedConnection()));
    render(AdvisorView);
    await fireEvent.click(screen.getByTestId('advise-run'));
    const cards = await screen.findAllByTestId('proposal');
    expect(cards).toHaveLength(2);
    // Only the partition's proposal carries the label.
    expect(cards[0]?.querySelector('[data-testid="recent-partition"]')).toBeNull();
    const label = cards[1]?.querySelector('[data-testid="recent-partition"]');
    expect(label?.textContent).toBe('recent partition of app.events (2 of 12)');
    expect(label?.getAttribute('title')).toContain('app.events_2026_11, app.events_2026_12');
  });

  it('lets a read-only connection review but not approve', async () => {
    mockBackend({ advice_stored: () => [], advise_run: () => advice });
    connection.set(activeOf(savedConnection({ read_only: true })));
    render(AdvisorView);
    await fireEvent.click(screen.getByTestId('advise-run'));
    await screen.findByTestId('proposal');
    expect((screen.getByTestId('approve') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('the workload view with 10,000 statements', () => {
  it('renders only the rows in view', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      queryid: i + 1,
      query: `SELECT * FROM crm.t${i} WHERE id = $1`,
      calls: 10_000 - i,
      total_exec_ms: 10_000 - i,
      mean_exec_ms: 1,
      rows: 1,
      shared_blks_read: 0,
      analysis: { kind: 'select', tables: [{ schema: 'crm', table: `t${i}`, access: 'read', known: true }], columns: [], warnings: [] },
    }));
    mockBackend({
      workload_top: () => ({ from: null, to: null, total_statements: many.length, unparsable: 0, utility: 0, statements: many }),
      collector_status: () => ({ running: false, interval_s: null, last: { at: null, statements: null, error: null } }),
    });
    connection.set(activeOf(savedConnection()));
    const { default: WorkloadView } = await import('../../src/lib/workload/WorkloadView.svelte');
    render(WorkloadView);
    expect((await screen.findByTestId('workload-count')).textContent).toContain('10,000 of 10,000');
    const rendered = screen.getAllByTestId('statement').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
  });
});
