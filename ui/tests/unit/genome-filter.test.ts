import { describe, expect, it } from 'vitest';
import type { GenomeField, GenomeRow } from '../../src/lib/backend';
import { applyFieldUpdates, emptyFilter, filterRows, isExpressed, prepare, sortOrder, sortRows, type GenomeFilter } from '../../src/lib/genome/filter';
import { rangeSet, toggled, withAll } from '../../src/lib/genome/selection';
import { buildTree } from '../../src/lib/genome/tree';
import { browse, genomeRow, table } from './fixtures';

const names = (rows: readonly GenomeRow[]) => rows.map((row) => `${row.schema_name}.${row.table_name}.${row.field_name}`);
const run = (filter: Partial<GenomeFilter>) => names(filterRows(prepare(browse().fields), { ...emptyFilter, ...filter }));

describe('filterRows', () => {
  it('searches schema.table.field case-insensitively', () => {
    expect(run({ search: 'DEALS.re' })).toEqual(['public.deals.region']);
    expect(run({ search: 'billing.' })).toEqual(['billing.invoices.id', 'billing.invoices.notes']);
    expect(run({ search: '  ' })).toHaveLength(6);
  });

  it('filters by type, group, indexable, expressed and curated', () => {
    expect(run({ type: 'BIG' })).toEqual(['public.deals.id', 'billing.invoices.id']);
    expect(run({ group: 'custom' })).toEqual(['public.deals.region', 'billing.invoices.notes']);
    expect(run({ indexable: 'no' })).toEqual(['billing.invoices.notes']);
    // region is off by default but two tenants switched it on; notes nobody expresses.
    expect(run({ expressed: 'no' })).toEqual(['billing.invoices.notes']);
    expect(run({ curatedOnly: true })).toEqual(['public.deals.region']);
  });

  it('combines filters with the tree selection', () => {
    expect(run({ schema: 'public', table: 'deals', type: 'integer' })).toEqual(['public.deals.tenant_id']);
    expect(run({ schema: 'billing', search: 'id' })).toEqual(['billing.invoices.id']);
  });

  it('calls a field expressed when on by default or on for a tenant', () => {
    expect(isExpressed(genomeRow({ default_expression: true }))).toBe(true);
    expect(isExpressed(genomeRow({ default_expression: false, enabled_tenants: 1 }))).toBe(true);
    expect(isExpressed(genomeRow({ default_expression: false, disabled_tenants: 3 }))).toBe(false);
  });
});

describe('sortRows', () => {
  it('sorts either way and keeps catalog order for ties', () => {
    const rows = browse().fields;
    expect(sortRows(rows, null)).toBe(rows);
    expect(names(sortRows(rows, { key: 'field', descending: false })).slice(0, 3)).toEqual([
      'public.deals.amount',
      'public.deals.id',
      'billing.invoices.id',
    ]);
    expect(sortRows(rows, { key: 'keys', descending: true })[0]?.field_name).toBe('id');
    expect(sortRows(rows, { key: 'expressed', descending: true })[0]?.field_name).toBe('region');
  });

  it('keeps catalog order among equal values in both directions', () => {
    const rows = browse().fields;
    const ids = (sort: Parameters<typeof sortRows>[1]) => sortRows(rows, sort).map((row) => row.id);
    expect(ids({ key: 'group', descending: false })).toEqual([1, 2, 3, 5, 4, 6]);
    expect(ids({ key: 'group', descending: true })).toEqual([4, 6, 1, 2, 3, 5]);
    expect(ids({ key: 'table', descending: true })).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('gives filterRows a sorted order to walk', () => {
    const prepared = prepare(browse().fields);
    const order = sortOrder(prepared, { key: 'type', descending: false });
    expect(sortOrder(prepared, null)).toBeNull();
    expect(names(filterRows(prepared, { ...emptyFilter, schema: 'public' }, order))).toEqual([
      'public.deals.id',
      'public.deals.tenant_id',
      'public.deals.amount',
      'public.deals.region',
    ]);
  });
});

describe('applyFieldUpdates', () => {
  it('replaces the curated flags of the returned fields and nothing else', () => {
    const prepared = prepare(browse().fields);
    const region = prepared.rows[3] as GenomeRow;
    const stored: GenomeField = {
      ...region,
      is_indexable: false,
      feature_group: 'sales',
      default_expression: true,
      curated_flags: ['is_indexable', 'feature_group'],
      curated_by: 'dba',
      table_oid: 1,
      attnum: 4,
      removed_at: null,
    };
    const next = applyFieldUpdates(prepared, [stored]);
    expect(next.rows[3]).toEqual({ ...region, is_indexable: false, feature_group: 'sales', default_expression: true, curated_flags: ['is_indexable', 'feature_group'] });
    expect(next.rows[2]).toBe(prepared.rows[2]);
    expect(prepared.rows[3]).toBe(region);
    expect(next.keys).toBe(prepared.keys);
  });
});

describe('selection', () => {
  const rows = browse().fields;
  it('toggles one and sets ranges in the order shown', () => {
    expect([...toggled(new Set([1]), 2)]).toEqual([1, 2]);
    expect([...toggled(new Set([1]), 1)]).toEqual([]);
    expect([...rangeSet(new Set(), rows, 2, 4, true)].sort()).toEqual([2, 3, 4]);
    expect([...rangeSet(new Set([1, 2, 3, 4]), rows, 4, 2, false)]).toEqual([1]);
    expect(withAll(new Set([9]), rows.slice(0, 2), true)).toEqual(new Set([9, 1, 2]));
  });
});

describe('buildTree', () => {
  const tables = [table(), table({ name: 'contacts' }), table({ schema: 'billing', name: 'invoices' })];
  it('lists schemas, and the tables of open ones, sorted', () => {
    const rows = buildTree(tables, new Set(['public']), '');
    expect(rows.map((row) => row.key)).toEqual(['*', 's:billing', 's:public', 't:public.contacts', 't:public.deals']);
  });

  it('opens every schema with a matching table while filtering', () => {
    const rows = buildTree(tables, new Set(), 'INV');
    expect(rows.map((row) => row.key)).toEqual(['*', 's:billing', 't:billing.invoices']);
  });

  describe('a partitioned table', () => {
    const events = table({ name: 'events', kind: 'partitioned', partition_key: 'RANGE (at)', partitions: 3, field_count: 5 });
    const part = (name: string, parent: string): ReturnType<typeof table> =>
      table({ name, kind: 'partition', parent: ['public', parent], field_count: 5, partition_bound: `FOR VALUES IN ('${name}')` });
    // events_2026 is itself partitioned (a sub-partition level) into two quarters.
    const partitioned = [
      table(),
      events,
      part('events_2025', 'events'),
      { ...part('events_2026', 'events'), kind: 'partition' as const, partition_key: 'RANGE (at)', partitions: 2 },
      part('events_2026_q1', 'events_2026'),
      part('events_2026_q2', 'events_2026'),
    ];

    it('is one row, its partitions folded under it and not counted as tables or fields', () => {
      const rows = buildTree(partitioned, new Set(['public']), '');
      expect(rows.map((row) => row.key)).toEqual(['*', 's:public', 't:public.deals', 't:public.events']);
      expect(rows[0]).toMatchObject({ tables: 2, fields: 9 });
      expect(rows[3]).toMatchObject({ children: 2, expanded: false, depth: 0 });
    });

    it('opens level by level, each partition leading back to the table whose fields it has', () => {
      const rows = buildTree(partitioned, new Set(['public']), '', new Set(['public.events', 'public.events_2026']));
      const shown = rows.flatMap((row) => (row.kind === 'table' ? [[row.table.name, row.depth, row.root.name]] : []));
      expect(shown).toEqual([
        ['deals', 0, 'deals'],
        ['events', 0, 'events'],
        ['events_2025', 1, 'events'],
        ['events_2026', 1, 'events'],
        ['events_2026_q1', 2, 'events'],
        ['events_2026_q2', 2, 'events'],
      ]);
    });

    it('opens by itself to show a partition the filter matches, and nothing else', () => {
      const rows = buildTree(partitioned, new Set(), 'q2');
      expect(rows.map((row) => row.key)).toEqual([
        '*',
        's:public',
        't:public.events',
        't:public.events_2026',
        't:public.events_2026_q2',
      ]);
    });
  });
});
