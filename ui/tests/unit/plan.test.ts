import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Explained, PlanNode, Proposal } from '../../src/lib/backend';
import { expectedMs, formatMs, planKeys } from '../../src/lib/plan/diff';
import PlanCompare from '../../src/lib/plan/PlanCompare.svelte';
import { callsOf, mockBackend } from './fixtures';

const node = (node_type: string, over: Partial<PlanNode> = {}): PlanNode => ({
  node_type,
  detail: [],
  total_cost: 10,
  rows: 1,
  children: [],
  ...over,
});

// Now: a sort over a sequential scan. With the index: the same limit over an index scan.
const now: Explained = {
  total_cost: 2410,
  uses_hypothetical: false,
  plan: node('Limit', { children: [node('Sort', { children: [node('Seq Scan', { relation: 'deals', rows: 90000 })] })] }),
};
const withIndex: Explained = {
  total_cost: 8.4,
  uses_hypothetical: true,
  hypothetical: 'CREATE INDEX ON crm.deals (tenant_id, stage)',
  plan: node('Limit', { children: [node('Index Scan', { relation: 'deals', index: '<13456>btree_deals_tenant_id_stage', rows: 20 })] }),
};

const proposal = (meanMs?: number): Proposal =>
  ({
    id: 41,
    kind: 'create',
    schema: 'crm',
    table: 'deals',
    columns: ['tenant_id', 'stage'],
    index_name: 'deals_tenant_id_stage_idx',
    definition: { schema: 'crm', table: 'deals', keys: [] },
    statements: [
      {
        queryid: 5,
        query: 'SELECT * FROM crm.deals WHERE tenant_id = $1 AND stage = $2 ORDER BY id LIMIT 20',
        calls: 900,
        cost_before: 2410,
        cost_after: 8.4,
        ...(meanMs === undefined ? {} : { mean_ms: meanMs }),
      },
    ],
  }) as unknown as Proposal;

describe('a plan with the proposed index', () => {
  it('marks the nodes each plan has and the other does not', () => {
    expect([...planKeys(now.plan)]).toEqual(['Limit||', 'Sort||', 'Seq Scan|deals|']);
    expect(expectedMs(41.5, 2410, 8.4)).toBeCloseTo(0.1446, 3);
    expect(expectedMs(undefined, 2410, 8.4)).toBeNull();
    // An index the planner would cost higher never makes the estimate slower than now.
    expect(expectedMs(2, 10, 20)).toBe(2);
    expect(formatMs(0.1446)).toBe('0.14 ms');
    expect(formatMs(41.5)).toBe('42 ms');
    expect(formatMs(3400)).toBe('3.4 s');
  });

  it('shows both plans side by side, the changed nodes highlighted, with the measured mean time', async () => {
    const calls = mockBackend({ explain_statement: (args) => (args.index ? withIndex : now) });
    render(PlanCompare, { proposal: proposal(41.5), onclose: () => {} });
    await screen.findByTestId('plan-compare');
    const nodes = screen.getAllByTestId('plan-node');
    const changed = nodes.filter((n) => n.dataset.changed === 'true').map((n) => n.querySelector('.type')?.textContent);
    // Now: the sort and the sequential scan go; with the index: the index scan comes.
    expect(changed).toEqual(['Sort', 'Seq Scan', 'Index Scan']);
    expect(nodes.filter((n) => n.dataset.changed === 'false').length).toBe(2);
    expect(screen.getByTestId('plan-measured').textContent).toContain('measured mean 42 ms now over 900 calls');
    expect(screen.getByTestId('plan-measured').textContent).toContain('with the index ~0.14 ms');
    await waitFor(() => expect(callsOf(calls, 'explain_statement').length).toBe(2));
  });

  it('says nothing of measured time when none was measured', async () => {
    mockBackend({ explain_statement: (args) => (args.index ? withIndex : now) });
    render(PlanCompare, { proposal: proposal(), onclose: () => {} });
    await screen.findByTestId('plan-compare');
    expect(screen.queryByTestId('plan-measured')).toBeNull();
  });
});
