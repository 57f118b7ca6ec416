// What the UI benchmarks share: a deterministic synthetic genome and a median timer.
import type { GenomeRow } from '../../src/lib/backend';

export const RUNS = 15;
export const WARMUP = 3;

const words = ['name', 'email', 'status', 'amount', 'region', 'owner_id', 'created_at', 'updated_at', 'score', 'notes', 'phone', 'country'];
const nouns = ['deals', 'contacts', 'accounts', 'invoices', 'payments', 'events', 'tasks', 'leads', 'orders', 'tickets'];
const types = ['bigint', 'integer', 'text', 'character varying(255)', 'timestamp with time zone', 'boolean', 'numeric(12,2)', 'jsonb'];
const groups = ['core', 'custom', 'billing', 'analytics'];

/** Deterministic synthetic genome: ~4,000 tables of 25 fields in 4 schemas. */
export function syntheticRows(count: number): GenomeRow[] {
  const rows: GenomeRow[] = [];
  for (let i = 0; i < count; i++) {
    const t = Math.floor(i / 25);
    const c = i % 25;
    rows.push({
      id: i + 1,
      schema_name: ['public', 'billing', 'crm', 'audit'][t % 4] as string,
      table_name: `${nouns[t % nouns.length]}_${t}`,
      field_name: `${words[(c + t) % words.length]}_${c}`,
      field_type: types[(c * 5 + t) % types.length] as string,
      type_category: 'S',
      is_required: c % 3 === 0,
      is_primary_key: c === 0,
      is_foreign_key: c === 1,
      is_unique: c === 0,
      indexed_by: c < 2 ? [`idx_${t}_${c}`] : [],
      is_indexable: (c + t) % 11 !== 0,
      default_expression: (c + t) % 4 !== 1,
      feature_group: groups[(c * 3 + t) % groups.length] as string,
      curated_flags: (c + t) % 13 === 0 ? ['is_indexable'] : [],
      table_kind: 'table',
      enabled_tenants: (c * t) % 7,
      disabled_tenants: (c + t) % 3,
    });
  }
  return rows;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

export function measure(work: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) work();
  return median(Array.from({ length: RUNS }, () => time(work)));
}

