// Test data in the IPC contract's shapes, and a mock backend that records every command.
import { mockIPC } from '@tauri-apps/api/mocks';
import type {
  ActiveConnection,
  ConnectionReport,
  ExpressionMatrix,
  GenomeBrowse,
  GenomeRow,
  SavedConnection,
  TableSummary,
  Tenant,
  TenantReport,
} from '../../src/lib/backend';

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

type Handler = (args: Record<string, unknown>) => unknown;

/**
 * Installs mockIPC answering from `handlers` (anything else rejects like an unknown command)
 * with Tauri's event mocks on, and returns the list of calls made, in order.
 */
export function mockBackend(handlers: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) throw { code: 'unknown_command', message: `unknown command ${cmd}` };
      return handler(args);
    },
    { shouldMockEvents: true },
  );
  return calls;
}

export const callsOf = (calls: Call[], cmd: string) => calls.filter((call) => call.cmd === cmd);

export function savedConnection(overrides: Partial<SavedConnection> = {}): SavedConnection {
  return {
    id: 'c1',
    label: 'CRM staging',
    colour: '#3b82f6',
    read_only: false,
    target: { kind: 'fields', host: 'db.internal', port: 5432, database: 'crm', user: 'dba', sslmode: 'prefer', sslrootcert: null },
    has_password: true,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}

export function activeOf(saved: SavedConnection): ActiveConnection {
  return { id: saved.id, label: saved.label, colour: saved.colour, read_only: saved.read_only, target: 'dba@db.internal:5432/crm', database: 'crm' };
}

export function report(overrides: Partial<ConnectionReport> = {}): ConnectionReport {
  return {
    target: 'dba@db.internal:5432/crm',
    server_version: '16.4',
    server_version_num: 160004,
    pg_stat_statements: { available: true, installed: true, preloaded: true, version: '1.10' },
    hypopg: { available: true, installed: false, preloaded: false, version: null },
    metadata_present: true,
    metadata_version: 3,
    latest_metadata_version: 3,
    role: { name: 'dba', superuser: false, owns_database: true, can_create_schema: true, can_read_all_stats: false, can_use_metadata: true },
    latency_ms: 7,
    ...overrides,
  };
}

let nextId = 1;

export function genomeRow(overrides: Partial<GenomeRow> = {}): GenomeRow {
  return {
    id: nextId++,
    schema_name: 'public',
    table_name: 'deals',
    field_name: 'amount',
    field_type: 'numeric',
    type_category: 'N',
    is_required: false,
    is_primary_key: false,
    is_foreign_key: false,
    is_unique: false,
    indexed_by: [],
    is_indexable: true,
    default_expression: true,
    feature_group: 'core',
    curated_flags: [],
    table_kind: 'table',
    enabled_tenants: 0,
    disabled_tenants: 0,
    ...overrides,
  };
}

export function table(overrides: Partial<TableSummary> = {}): TableSummary {
  return {
    schema: 'public',
    name: 'deals',
    kind: 'table',
    parent: null,
    partition_key: null,
    partition_bound: null,
    partitions: 0,
    row_estimate: 120_000,
    table_bytes: 8_388_608,
    total_bytes: 12_582_912,
    field_count: 4,
    indexes: [],
    ...overrides,
  };
}

/** A small genome: two tables in two schemas, with keys, an index and a custom field. */
export function browse(): GenomeBrowse {
  const fields = [
    genomeRow({ id: 1, field_name: 'id', field_type: 'bigint', is_required: true, is_primary_key: true, is_unique: true, indexed_by: ['deals_pkey'] }),
    genomeRow({ id: 2, field_name: 'tenant_id', field_type: 'integer', is_required: true, is_foreign_key: true }),
    genomeRow({ id: 3, field_name: 'amount', field_type: 'numeric(12,2)' }),
    genomeRow({ id: 4, field_name: 'region', field_type: 'text', feature_group: 'custom', default_expression: false, enabled_tenants: 2, disabled_tenants: 1, curated_flags: ['feature_group'] }),
    genomeRow({ id: 5, schema_name: 'billing', table_name: 'invoices', field_name: 'id', field_type: 'bigint', is_primary_key: true, is_required: true }),
    genomeRow({ id: 6, schema_name: 'billing', table_name: 'invoices', field_name: 'notes', field_type: 'text', is_indexable: false, feature_group: 'custom', default_expression: false }),
  ];
  return {
    tables: [
      table({
        indexes: [
          {
            schema: 'public',
            name: 'deals_pkey',
            method: 'btree',
            definition: 'CREATE UNIQUE INDEX deals_pkey ON public.deals USING btree (id)',
            key_columns: ['id'],
            include_columns: [],
            predicate: null,
            is_unique: true,
            is_primary: true,
            is_valid: true,
            is_ready: true,
            has_expressions: false,
            size_bytes: 8192,
            constraint_name: 'deals_pkey',
          },
        ],
      }),
      table({ schema: 'billing', name: 'invoices', kind: 'partitioned', field_count: 2, row_estimate: null, partition_key: 'LIST (region)', partitions: 2 }),
      ...['eu', 'us'].map((region) =>
        table({
          schema: 'billing',
          name: `invoices_${region}`,
          kind: 'partition',
          parent: ['billing', 'invoices'],
          partition_bound: `FOR VALUES IN ('${region}')`,
          field_count: 2,
          row_estimate: null,
        }),
      ),
    ],
    fields,
    feature_groups: ['core', 'custom'],
  };
}

export function tenant(id: string, overrides: Partial<Tenant> = {}): Tenant {
  return { tenant_id: id, name: `Tenant ${id}`, approx_rows: 1000, approx_bytes: 65536, measured: true, ...overrides };
}

export function tenantReport(tenants: Tenant[]): TenantReport {
  return {
    tenant_key: 'tenant_id',
    tenants_table: { schema: 'public', table: 'tenants', key_column: 'id', key_type: 'bigint', name_column: 'name', row_estimate: 2 },
    scoped_tables: ['public.deals'],
    unanalysed_tables: [],
    truncated: false,
    tenants,
  };
}

/** Tenants 1 and 2; deals.region (off by default) and deals.stage (on by default). */
export function matrix(): ExpressionMatrix {
  return {
    tenants: [tenant('1'), tenant('2')],
    fields: [
      { id: 4, schema_name: 'public', table_name: 'deals', field_name: 'region', feature_group: 'custom', default_expression: false },
      { id: 7, schema_name: 'public', table_name: 'deals', field_name: 'stage', feature_group: 'custom', default_expression: true },
    ],
    cells: [{ tenant_id: '1', field_id: 4, is_enabled: true }],
  };
}
