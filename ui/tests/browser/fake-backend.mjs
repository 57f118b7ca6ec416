// A stand-in for the Tauri backend, injected into the page before the app loads
// (page.addInitScript(installFakeBackend, options)). It answers the IPC contract's commands from
// in-memory data and emits "progress" events the way Tauri's event plugin delivers them.
// Self-contained on purpose: Playwright serialises the function's source into the page.

/**
 * @typedef {{
 *   fields?: number,
 *   active?: string | null,
 *   readOnly?: boolean,
 *   tenants?: number,
 *   advice?: boolean,
 * }} FakeOptions
 */

/** @param {FakeOptions} options */
export function installFakeBackend(options) {
  const fieldCount = options.fields ?? 2000;
  const tenantCount = options.tenants ?? 60;
  const stamp = '2025-01-01T00:00:00Z';

  /** @type {any[]} */
  const connections = [
    {
      id: 'prod',
      label: 'CRM production',
      colour: '#ef4444',
      read_only: true,
      target: { kind: 'fields', host: 'db.prod.internal', port: 5432, database: 'crm', user: 'dba', sslmode: 'verify-full', sslrootcert: '/etc/ssl/root.crt' },
      has_password: true,
      created_at: stamp,
      updated_at: stamp,
    },
    {
      id: 'staging',
      label: 'CRM staging',
      colour: '#3b82f6',
      read_only: Boolean(options.readOnly),
      target: { kind: 'url', url: 'postgresql://dba@staging.internal:5432/crm?sslmode=require' },
      has_password: true,
      created_at: stamp,
      updated_at: stamp,
    },
    {
      id: 'local',
      label: 'Local demo',
      colour: '#10b981',
      read_only: false,
      target: { kind: 'fields', host: 'localhost', port: 5433, database: 'demo', user: 'postgres', sslmode: 'disable', sslrootcert: null },
      has_password: false,
      created_at: stamp,
      updated_at: stamp,
    },
  ];

  // Two waiting proposals: one on a table, one on the newest partition of a partitioned
  // table (the recent-partitions label).
  const storedAdvice = () => {
    const proposal = (/** @type {number} */ id, /** @type {string} */ schema, /** @type {string} */ table, /** @type {any} */ recent) => ({
      proposal: {
        id,
        kind: 'create',
        schema,
        table,
        columns: ['tenant_id', 'occurred_at'],
        ddl: `CREATE INDEX CONCURRENTLY "${table}_tenant_id_occurred_at_idx" ON "${schema}"."${table}" USING btree ("tenant_id", "occurred_at");`,
        estimated_size_bytes: 3 * 1024 * 1024,
        benefit: { weighted_cost_before: 420000, weighted_cost_after: 6500, write_overhead: 12 },
        statements: [],
        reason: 'Serves 1 statement (60 calls).',
        why: {
          kind: 'create', statements: 1, calls: 60, timed_statements: 0,
          access: { method: 'btree', keys: ['tenant_id', 'occurred_at'] },
          include: [], partial: null, capped_statements: 0, evidence: 'planner', partitions: 0,
          ...(recent ? { recent } : {}),
        },
        verified: true,
        index_name: `${table}_tenant_id_occurred_at_idx`,
      },
      proposed_by: 'nightly-cron',
      proposed_at: stamp,
      refreshed_at: stamp,
    });
    return [
      proposal(51, 'crm', 'deals', null),
      proposal(52, 'app', 'events_2026_12', { parent: 'app.events', reached: ['app.events_2026_12'], of: 12, row_share: 0.02 }),
    ];
  };

  /** @param {any} saved */
  const describe = (saved) =>
    saved.target.kind === 'url'
      ? saved.target.url.replace(/^postgres(ql)?:\/\//, '').replace(/\?.*$/, '')
      : `${saved.target.user}@${saved.target.host}:${saved.target.port}/${saved.target.database}`;

  /** An overview with something in every card, the same for each database. */
  const fakeOverview = () => ({
    database: 'crm',
    server_version: '16.4',
    server_version_num: 160004,
    standby: false,
    hypopg: true,
    pg_qualstats: false,
    initialised: true,
    proposals: { creates: 4, drops: 1, estimated_saving: 84000, estimated_bytes: 48 * 1024 * 1024, newest: stamp },
    changes: { failed: 1 },
    experiments: { due: 1, measuring: 1, latest: [{ experiment_id: 3, change_id: 9, verdict: 'improved' }] },
    health: { 'unused-index': { findings: 2, bytes: 12 * 1024 * 1024 } },
    collector: { last_snapshot: stamp, age_seconds: 420 },
    statements: { entries: 812, max: 5000, dealloc: 0 },
  });

  /** @param {any} saved */
  const activeOf = (saved) => ({
    id: saved.id,
    label: saved.label,
    colour: saved.colour,
    read_only: saved.read_only,
    target: describe(saved),
    database: 'crm',
  });

  /** @type {any} */
  let active = null;
  const initial = connections.find((c) => c.id === options.active);
  if (initial) active = activeOf(initial);

  // --- genome: deterministic synthetic schema ---------------------------------------------
  const schemas = ['public', 'billing', 'crm', 'audit'];
  const types = ['bigint', 'integer', 'text', 'character varying(255)', 'timestamp with time zone', 'boolean', 'numeric(12,2)', 'jsonb', 'uuid', 'date'];
  const words = ['name', 'email', 'status', 'amount', 'region', 'owner_id', 'created_at', 'updated_at', 'score', 'notes', 'phone', 'country', 'stage', 'source', 'currency', 'priority', 'title', 'value', 'deleted_at', 'external_ref', 'segment', 'tier', 'kind', 'label'];
  const nouns = ['deals', 'contacts', 'accounts', 'invoices', 'payments', 'events', 'notes', 'tasks', 'leads', 'orders', 'items', 'tickets', 'campaigns', 'users', 'teams'];
  const groups = ['core', 'custom', 'billing', 'analytics'];
  /** @type {any[]} */
  const tables = [];
  /** @type {any[]} */
  const fields = [];
  let id = 1;
  let t = 0;
  while (fields.length < fieldCount) {
    const schema = schemas[t % schemas.length];
    const name = `${nouns[t % nouns.length]}${t >= nouns.length ? `_${Math.floor(t / nouns.length)}` : ''}`;
    const kind = t % 29 === 7 ? 'partitioned' : t % 31 === 11 ? 'view' : t % 37 === 5 ? 'matview' : 'table';
    const count = Math.min(8 + ((t * 7) % 30), fieldCount - fields.length);
    const pk = `${name}_pkey`;
    const idx = `${name}_tenant_id_idx`;
    tables.push({
      schema,
      name,
      kind,
      parent: null,
      partition_key: kind === 'partitioned' ? 'RANGE (created_at)' : null,
      partition_bound: null,
      partitions: kind === 'partitioned' ? 4 : 0,
      row_estimate: kind === 'view' ? null : ((t * 7919) % 5_000_000) + 120,
      table_bytes: ((t * 104729) % 900_000_000) + 8192,
      total_bytes: ((t * 104729) % 900_000_000) * 1.6 + 16384,
      field_count: count,
      indexes: [
        { schema, name: pk, method: 'btree', definition: `CREATE UNIQUE INDEX ${pk} ON ${schema}.${name} USING btree (id)`, key_columns: ['id'], include_columns: [], predicate: null, is_unique: true, is_primary: true, is_valid: true, is_ready: true, has_expressions: false, size_bytes: 16384, constraint_name: pk },
        { schema, name: idx, method: 'btree', definition: `CREATE INDEX ${idx} ON ${schema}.${name} USING btree (tenant_id, created_at)`, key_columns: ['tenant_id', 'created_at'], include_columns: [], predicate: null, is_unique: false, is_primary: false, is_valid: true, is_ready: true, has_expressions: false, size_bytes: 8192, constraint_name: null },
      ],
    });
    // A partitioned table's partitions: listed under it, with no fields of their own.
    for (let q = 0; kind === 'partitioned' && q < 4; q++) {
      tables.push({
        schema,
        name: `${name}_2026q${q + 1}`,
        kind: 'partition',
        parent: [schema, name],
        partition_key: null,
        partition_bound: `FOR VALUES FROM ('2026-${String(q * 3 + 1).padStart(2, '0')}-01') TO ('${q === 3 ? '2027-01' : `2026-${String(q * 3 + 4).padStart(2, '0')}`}-01')`,
        partitions: 0,
        row_estimate: 1000 * (q + 1),
        table_bytes: 8192 * (q + 1),
        total_bytes: 16384 * (q + 1),
        field_count: count,
        indexes: [],
      });
    }
    for (let c = 0; c < count; c++) {
      const field = c === 0 ? 'id' : c === 1 ? 'tenant_id' : `${words[(c + t) % words.length]}${c >= words.length ? `_${c}` : ''}`;
      const group = c < 4 ? 'core' : groups[(c * 3 + t) % groups.length];
      const custom = group === 'custom';
      fields.push({
        id,
        schema_name: schema,
        table_name: name,
        field_name: field,
        field_type: c === 0 ? 'bigint' : c === 1 ? 'integer' : types[(c * 5 + t) % types.length],
        type_category: 'N',
        is_required: c < 2 || (c + t) % 3 === 0,
        is_primary_key: c === 0,
        is_foreign_key: c === 1 || field.endsWith('_id'),
        is_unique: c === 0,
        indexed_by: c === 0 ? [pk] : c === 1 ? [idx] : field === 'created_at' ? [idx] : [],
        is_indexable: (c + t) % 11 !== 0,
        default_expression: !custom || (c + t) % 5 === 0,
        feature_group: group,
        curated_flags: (c + t) % 13 === 0 ? ['is_indexable'] : [],
        table_kind: kind,
        enabled_tenants: custom ? (c * t) % 9 : 0,
        disabled_tenants: custom ? (c + t) % 4 : 0,
      });
      id++;
    }
    t++;
  }

  /** @param {any} row */
  const genomeField = (row) => ({
    id: row.id,
    schema_name: row.schema_name,
    table_name: row.table_name,
    field_name: row.field_name,
    field_type: row.field_type,
    type_category: row.type_category,
    is_required: row.is_required,
    is_primary_key: row.is_primary_key,
    is_indexable: row.is_indexable,
    default_expression: row.default_expression,
    feature_group: row.feature_group,
    curated_flags: row.curated_flags,
    curated_by: 'dba',
    table_kind: row.table_kind,
    table_oid: 16384 + row.id,
    attnum: 1,
    removed_at: null,
  });

  // --- tenants ---------------------------------------------------------------------------
  const companies = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Soylent', 'Cyberdyne', 'Wonka', 'Vandelay'];
  const tenants = Array.from({ length: tenantCount }, (_, i) => ({
    tenant_id: String(i + 1),
    name: i % 9 === 8 ? null : `${companies[i % companies.length]}${i >= companies.length ? ` ${Math.floor(i / companies.length) + 1}` : ''}`,
    approx_rows: Math.round(2_000_000 / (i + 1)),
    approx_bytes: Math.round(900_000_000 / (i + 1)),
    measured: i < 12,
  }));
  const customFields = fields.filter((f) => f.feature_group === 'custom').slice(0, 9);
  /** @type {Map<string, boolean>} */
  const profile = new Map();
  tenants.forEach((tenant, i) => {
    customFields.forEach((field, j) => {
      if ((i + j) % 4 === 0) profile.set(`${tenant.tenant_id}:${field.id}`, (i * j) % 3 !== 0);
    });
  });

  // --- IPC plumbing (what @tauri-apps/api expects from window.__TAURI_INTERNALS__) ----------
  /** @type {Map<number, (payload: unknown) => void>} */
  const callbacks = new Map();
  /** @type {{ event: string, handler: number, id: number }[]} */
  const listeners = [];
  let nextId = 1;

  /** @param {string} event @param {unknown} payload */
  function emit(event, payload) {
    for (const l of listeners.filter((x) => x.event === event)) callbacks.get(l.handler)?.({ event, id: l.id, payload });
  }
  /** @param {number} ms */
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  /** @param {string} task @param {string[]} phases */
  async function progress(task, phases) {
    for (let i = 0; i < phases.length; i++) {
      emit('progress', { task, phase: phases[i], fraction: i / phases.length, message: phases[i], done: false });
      await sleep(60);
    }
    emit('progress', { task, phase: 'done', fraction: 1, message: 'done', done: true });
  }
  const readOnlyError = { code: 'read_only', message: 'This connection is read-only.', hint: 'Edit the connection and clear "read-only" to allow changes.' };
  const needsActive = () => {
    if (!active) throw { code: 'no_connection', message: 'No connection is open.', hint: 'Open one in Connections.' };
  };
  const writable = () => {
    needsActive();
    if (active.read_only) throw readOnlyError;
  };

  /** @type {Record<string, string>} */
  const extension = { python: 'py', typescript: 'ts', rust: 'rs' };

  /** @type {Record<string, (args: any) => unknown>} */
  const commands = {
    app_info: () => ({ name: 'IndexPilot', version: '0.1.0', engine_version: '0.1.0' }),
    connections_list: () => connections,
    active_connection: () => active,
    connection_open: ({ id: cid }) => {
      const saved = connections.find((c) => c.id === cid);
      if (!saved) throw { code: 'not_found', message: `no connection ${cid}` };
      active = activeOf(saved);
      return active;
    },
    connection_close: () => {
      active = null;
      return null;
    },
    connection_test: ({ id: cid }) => ({
      target: describe(connections.find((c) => c.id === cid)),
      server_version: '16.4',
      server_version_num: 160004,
      pg_stat_statements: { available: true, installed: true, preloaded: true, version: '1.10' },
      hypopg: { available: true, installed: false, preloaded: false, version: null },
      metadata_present: cid !== 'local',
      metadata_version: cid === 'local' ? null : 3,
      latest_metadata_version: 3,
      role: { name: 'dba', superuser: false, owns_database: true, can_create_schema: true, can_read_all_stats: true, can_use_metadata: true },
      latency_ms: 4,
    }),
    metadata_init: async () => {
      writable();
      await progress('init', ['creating schema indexpilot', 'applying migrations', 'reading the catalog', 'bootstrapping the genome']);
      return { version: 3, applied: [1, 2, 3], relations: tables.length, fields: fields.length, bootstrapped: true, changes: fields.length };
    },
    advice_stored: () => {
      needsActive();
      return options.advice ? storedAdvice() : [];
    },
    workload_top: () => {
      needsActive();
      const statements = tables.slice(0, 30).map((x, i) => ({
        queryid: 1000 + i,
        query: `SELECT "${x.name}".* FROM "${x.schema}"."${x.name}" WHERE "${x.name}"."tenant_id" = $1 AND "${x.name}"."deleted_at" IS NULL ORDER BY "${x.name}"."created_at" DESC LIMIT 21`,
        calls: 5000 - i * 100,
        total_exec_ms: 90000 - i * 2500,
        mean_exec_ms: 18 - i * 0.4,
        rows: 21 * (5000 - i * 100),
        shared_blks_read: 120 * i,
        analysis: { kind: 'select', tables: [{ schema: x.schema, table: x.name, access: 'read', known: true }], columns: [], warnings: [] },
      }));
      return { from: stamp, to: stamp, total_statements: statements.length, unparsable: 0, utility: 0, statements };
    },
    timeline: () => {
      needsActive();
      return [];
    },
    overview_all: () =>
      connections.map((c, i) =>
        i === 0
          ? { id: c.id, label: c.label, colour: c.colour, read_only: c.read_only, read: { target: describe(c), state: 'timed_out', attention: 0, error: `no answer from ${describe(c)} within 10 s: check that the server is up and reachable` } }
          : { id: c.id, label: c.label, colour: c.colour, read_only: c.read_only, read: { target: describe(c), state: 'read', attention: 3 - i, overview: fakeOverview() } },
      ),
    overview_get: () => {
      needsActive();
      return fakeOverview();
    },
    genome_browse: () => {
      needsActive();
      return { tables, fields, feature_groups: groups };
    },
    genome_set_flags: ({ fields: refs, edit }) => {
      writable();
      /** @type {any[]} */
      const out = [];
      for (const ref of refs) {
        const row = fields.find((f) => f.schema_name === ref.schema && f.table_name === ref.table && f.field_name === ref.column);
        if (!row) continue;
        if (edit.is_indexable !== null) row.is_indexable = edit.is_indexable;
        if (edit.feature_group !== null) row.feature_group = edit.feature_group;
        if (edit.default_expression !== null) row.default_expression = edit.default_expression;
        row.curated_flags = ['curated'];
        out.push(genomeField(row));
      }
      return out;
    },
    sync_plan: async () => {
      needsActive();
      await progress('sync', ['reading relations', 'reading columns', 'comparing']);
      return {
        added: [
          { schema: 'public', table: 'deals', field: 'forecast_category', field_type: 'text', type_category: 'S', ordinal: 40, is_required: false, is_primary_key: false, table_kind: 'table', table_oid: 1, attnum: 40, description: null },
          { schema: 'crm', table: 'leads_new', field: 'id', field_type: 'bigint', type_category: 'N', ordinal: 1, is_required: true, is_primary_key: true, table_kind: 'table', table_oid: 2, attnum: 1, description: null },
        ],
        removed: [genomeField(fields[5])],
        type_changed: [{ id: 9, field: { schema: 'public', table: 'deals', column: 'amount' }, before: { field_type: 'integer', is_required: false, table_kind: 'table' }, after: { field_type: 'numeric(12,2)', is_required: true, table_kind: 'table' } }],
        renamed: [{ id: 12, from: { schema: 'public', table: 'deals', column: 'regoin' }, to: { schema: 'public', table: 'deals', column: 'region' }, what: 'column' }],
        tables_added: ['crm.leads_new'],
        tables_removed: [],
        fingerprint: 'f1ea5e0000000001',
      };
    },
    sync_apply: async () => {
      writable();
      await progress('sync', ['applying']);
      return { added: [], removed: [], type_changed: [], renamed: [], tables_added: [], tables_removed: [], fingerprint: '0000000000000000' };
    },
    task_cancel: () => true,
    tenants_list: () => {
      needsActive();
      return {
        tenant_key: 'tenant_id',
        tenants_table: { schema: 'public', table: 'tenants', key_column: 'id', key_type: 'bigint', name_column: 'name', row_estimate: tenants.length },
        scoped_tables: tables.slice(0, 40).map((x) => `${x.schema}.${x.name}`),
        unanalysed_tables: ['audit.events_3'],
        truncated: false,
        tenants,
      };
    },
    expression_matrix: () => {
      needsActive();
      return {
        tenants,
        fields: customFields.map((f) => ({ id: f.id, schema_name: f.schema_name, table_name: f.table_name, field_name: f.field_name, feature_group: f.feature_group, default_expression: f.default_expression })),
        cells: [...profile.entries()].map(([key, on]) => {
          const [tenant_id, fid] = key.split(':');
          return { tenant_id, field_id: Number(fid), is_enabled: on };
        }),
      };
    },
    types_tables: ({ includeMetadata }) => {
      needsActive();
      const list = tables.slice(0, 24).map((x) => ({ schema: x.schema, name: x.name, kind: 'table' }));
      if (includeMetadata) list.push({ schema: 'indexpilot', name: 'mutation_log', kind: 'table' });
      return list;
    },
    types_generate: ({ request }) => {
      needsActive();
      const chosen = request.tables.length > 0 ? request.tables : tables.slice(0, 24).filter((x) => request.schemas.includes(x.schema)).map((x) => `${x.schema}.${x.name}`);
      const pascal = (/** @type {string} */ q) => q.split('.')[1].split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
      /** @type {Record<string, (name: string) => string>} */
      const shape = {
        python: (n) => `class ${n}Row(TypedDict):\n    id: int\n    name: str | None\n`,
        typescript: (n) => `export interface ${n}Row {\n  id: number;\n  name: string | null;\n}\n`,
        rust: (n) => `pub struct ${n}Row {\n    pub id: i32,\n    pub name: Option<String>,\n}\n`,
      };
      const text = `// Row types (${request.lang})\n` + chosen.map((/** @type {string} */ q) => `\n${shape[request.lang](pascal(q))}`).join('');
      return { lang: request.lang, text, suggested_file_name: `rows.${extension[request.lang]}`, tables: chosen.length };
    },
    types_save: ({ request }) => {
      needsActive();
      return `/home/dba/app/rows.${extension[request.lang]}`;
    },
    expression_set: ({ toggles }) => {
      writable();
      return toggles.map((/** @type {any} */ toggle) => {
        const field = customFields.find((f) => f.schema_name === toggle.field.schema && f.table_name === toggle.field.table && f.field_name === toggle.field.column);
        const key = `${toggle.tenant_id}:${field?.id}`;
        const before = profile.get(key) ?? field?.default_expression ?? false;
        profile.set(key, toggle.enabled);
        return { tenant_id: toggle.tenant_id, field: toggle.field, field_id: field?.id, before, after: toggle.enabled, changed: true, mutation_id: nextId++ };
      });
    },
  };

  /** @type {any} */ (window).__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener: (/** @type {string} */ _event, /** @type {number} */ eventId) => {
      const at = listeners.findIndex((l) => l.id === eventId);
      if (at !== -1) listeners.splice(at, 1);
    },
  };
  /** @type {any} */ (window).__TAURI_INTERNALS__ = {
    transformCallback: (/** @type {(payload: unknown) => void} */ callback) => {
      const cid = nextId++;
      callbacks.set(cid, callback);
      return cid;
    },
    unregisterCallback: (/** @type {number} */ cid) => callbacks.delete(cid),
    invoke: async (/** @type {string} */ cmd, /** @type {any} */ args) => {
      if (cmd === 'plugin:event|listen') {
        const lid = nextId++;
        listeners.push({ event: args.event, handler: args.handler, id: lid });
        return lid;
      }
      if (cmd === 'plugin:event|unlisten') return null;
      const command = commands[cmd];
      if (!command) throw { code: 'unknown_command', message: cmd };
      await sleep(cmd === 'genome_browse' ? 50 : 5);
      return command(args ?? {});
    },
  };
}
