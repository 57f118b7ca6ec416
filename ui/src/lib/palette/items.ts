// What the palette offers, as data: every view, every action, and the things of the open
// database (tables, fields, statements, proposals, changes), each with the step that takes
// the DBA there. Pure, so what is offered in which state is tested without a window.
import type { GenomeRow, HistoryEntry, SavedConnection, StatementUsage, StoredProposal, TableSummary } from '../backend';
import { latestStates } from '../timeline/timeline';
import { describeTarget } from '../connections/form';
import { formatBytes } from '../format';
import { viewIds, viewMeta, type ViewId } from '../../views/ids';
import type { Intent } from './intent.svelte';

export type Step =
  | { kind: 'go'; view: ViewId }
  | { kind: 'intent'; intent: Intent }
  | { kind: 'close-connection' }
  | { kind: 'theme' }
  | { kind: 'help' };

/** In the order groups rank between equal matches, and list with an empty query. */
export const groups = ['Action', 'View', 'Connection', 'Proposal', 'Change', 'Table', 'Statement', 'Field'] as const;
export type Group = (typeof groups)[number];

export interface PaletteItem {
  key: string;
  group: Group;
  label: string;
  /** A second line: what it is or where it leads. */
  detail: string;
  /** Searched with the label, not shown: the words a DBA might type for it. */
  keywords: string;
  /** Keys that do the same without the palette. */
  keys?: string[];
  /** Why it cannot run now (no connection, read-only), or null. */
  disabled: string | null;
  step: Step;
}

export interface PaletteState {
  /** The open connection, if any. */
  active: { id: string; label: string; read_only: boolean } | null;
  theme: 'light' | 'dark';
  modifier: string;
}

export interface PaletteData {
  connections: readonly SavedConnection[];
  tables: readonly TableSummary[];
  fields: readonly GenomeRow[];
  statements: readonly StatementUsage[];
  proposals: readonly StoredProposal[];
  history: readonly HistoryEntry[];
}

export const emptyData: PaletteData = { connections: [], tables: [], fields: [], statements: [], proposals: [], history: [] };

const NO_CONNECTION = 'Open a connection first';
const READ_ONLY = 'Read-only connection';

function item(
  group: Group,
  key: string,
  label: string,
  detail: string,
  step: Step,
  extra: Partial<Pick<PaletteItem, 'keywords' | 'keys' | 'disabled'>> = {},
): PaletteItem {
  return { key: `${group}:${key}`, group, label, detail, step, keywords: extra.keywords ?? '', keys: extra.keys, disabled: extra.disabled ?? null };
}

export function viewItems(state: PaletteState): PaletteItem[] {
  return viewIds.map((id, i) =>
    item('View', id, `Go to ${viewMeta[id].label}`, viewMeta[id].summary, { kind: 'go', view: id }, { keys: [state.modifier, String(i + 1)], keywords: 'view open show' }),
  );
}

export function actionItems(state: PaletteState): PaletteItem[] {
  const none = state.active === null ? NO_CONNECTION : null;
  const writes = none ?? (state.active?.read_only ? READ_ONLY : null);
  const to = (intent: Intent): Step => ({ kind: 'intent', intent });
  return [
    item('Action', 'advise', 'Run the advisor', 'Weigh the whole workload and record what to build or drop', to({ view: 'advisor', act: 'run' }), { disabled: none, keywords: 'advise proposals recommend index' }),
    item('Action', 'sync', 'Sync the genome with the database', 'Compare the catalog with the live schema, then apply', to({ view: 'genome', act: 'sync' }), { disabled: none, keywords: 'refresh discover schema' }),
    item('Action', 'health', 'Show index health', 'Unused, duplicate, redundant and invalid indexes', to({ view: 'workload', act: 'tab', tab: 'health' }), { disabled: none, keywords: 'unused duplicate redundant bloat' }),
    item('Action', 'fields', 'Show field usage', 'Which fields the workload filters, joins and sorts on', to({ view: 'workload', act: 'tab', tab: 'fields' }), { disabled: none }),
    item('Action', 'collector-on', 'Start the collector', 'Snapshot pg_stat_statements every 60 s while the app runs', to({ view: 'workload', act: 'collector', on: true }), { disabled: writes, keywords: 'collect workload' }),
    item('Action', 'collector-off', 'Stop the collector', 'Stop taking workload snapshots', to({ view: 'workload', act: 'collector', on: false }), { disabled: none, keywords: 'collect workload' }),
    item('Action', 'all-databases', 'Show all databases', 'Every saved connection with what waits on it', to({ view: 'overview', act: 'scope', scope: 'all' }), { keywords: 'overview fleet every' }),
    item('Action', 'add-connection', 'Add a connection', 'Save a PostgreSQL database to work on', to({ view: 'connections', act: 'add' }), { keywords: 'new database' }),
    item('Action', 'close-connection', 'Close the connection', state.active ? `Close ${state.active.label}` : 'No connection is open', { kind: 'close-connection' }, { disabled: none, keywords: 'disconnect' }),
    item('Action', 'theme', `Switch to the ${state.theme === 'dark' ? 'light' : 'dark'} theme`, 'Remembered on this machine', { kind: 'theme' }, { keywords: 'dark light colour appearance' }),
    item('Action', 'help', 'Show keyboard shortcuts', 'Every key the app answers to', { kind: 'help' }, { keys: ['?'], keywords: 'keys help' }),
  ];
}

export function connectionItems(state: PaletteState, data: PaletteData): PaletteItem[] {
  return data.connections.map((c) =>
    item(
      'Connection',
      c.id,
      `Open ${c.label}`,
      `${describeTarget(c.target)}${c.read_only ? ' · read-only' : ''}${state.active?.id === c.id ? ' · open now' : ''}`,
      { kind: 'intent', intent: { view: 'connections', act: 'open', id: c.id } },
      { keywords: 'connect database switch' },
    ),
  );
}

export function proposalItems(state: PaletteState, data: PaletteData): PaletteItem[] {
  const writes = state.active?.read_only ? READ_ONLY : null;
  return data.proposals.flatMap(({ proposal: p }) => {
    const on = `${p.schema}.${p.table}`;
    const what = `${p.kind === 'drop' ? 'drop' : 'create'} ${p.index_name}`;
    const detail = `${on} (${p.columns.join(', ')}) · ${formatBytes(p.estimated_size_bytes)}`;
    const to = (act: 'show' | 'approve' | 'reject' | 'compare'): Step => ({ kind: 'intent', intent: { view: 'advisor', act, proposal: p.id } });
    const compare =
      p.definition && p.statements.length > 0
        ? [item('Proposal', `compare:${p.id}`, `Show plan with ${p.index_name}`, `${detail} · its heaviest statement's plan now and with the index`, to('compare'), { keywords: `${on} explain` })]
        : [];
    return [
      item('Proposal', `show:${p.id}`, `Review proposal: ${what}`, detail, to('show'), { keywords: `${on} index` }),
      item('Proposal', `approve:${p.id}`, `Approve and apply: ${what}`, detail, to('approve'), { disabled: writes, keywords: `${on} build` }),
      item('Proposal', `reject:${p.id}`, `Reject proposal: ${what}`, detail, to('reject'), { disabled: writes, keywords: on }),
      ...compare,
    ];
  });
}

export function changeItems(state: PaletteState, data: PaletteData): PaletteItem[] {
  const writes = state.active?.read_only ? READ_ONLY : null;
  const roots = new Map(data.history.filter((e) => e.id === e.change_id).map((e) => [e.id, e]));
  const perChange: PaletteItem[][] = [];
  for (const [changeId, latest] of latestStates(data.history)) {
    const root = roots.get(changeId) ?? latest;
    if (root.kind !== 'index_create' && root.kind !== 'index_drop') continue;
    const index = (root.details_json as { index_name?: string; index?: string } | null) ?? {};
    const name = index.index_name ?? index.index ?? `change ${changeId}`;
    const on = [root.schema_name, root.table_name].filter(Boolean).join('.');
    const verb = root.kind === 'index_create' ? 'create' : 'drop';
    const detail = `${on} · ${latest.status ?? ''} · ${new Date(latest.occurred_at).toLocaleString()}`;
    const to = (act: 'show' | 'rollback' | 'reapply'): Step => ({ kind: 'intent', intent: { view: 'timeline', act, change: changeId } });
    if (latest.status === 'proposed') continue; // a proposal, offered above
    const out: PaletteItem[] = [];
    perChange.push(out);
    out.push(item('Change', `show:${changeId}`, `Change ${changeId}: ${verb} ${name}`, detail, to('show'), { keywords: 'timeline history' }));
    if (latest.status === 'applied') {
      out.push(item('Change', `rollback:${changeId}`, `Roll back change ${changeId}: ${verb} ${name}`, detail, to('rollback'), { disabled: writes, keywords: 'undo revert' }));
    } else if (latest.status === 'rolled_back') {
      out.push(item('Change', `reapply:${changeId}`, `Re-apply change ${changeId}: ${verb} ${name}`, detail, to('reapply'), { disabled: writes, keywords: 'redo' }));
    }
  }
  return perChange.reverse().flat(); // newest change first
}

export function tableItems(data: PaletteData): PaletteItem[] {
  return data.tables.map((t) =>
    item(
      'Table',
      `${t.schema}.${t.name}`,
      `${t.schema}.${t.name}`,
      `${t.kind}${t.partitions > 0 ? ` · ${t.partitions} partitions` : ''} · ${t.field_count} fields · ${formatBytes(t.total_bytes)}`,
      { kind: 'intent', intent: { view: 'genome', act: 'show', schema: t.schema, table: t.name, field: null } },
    ),
  );
}

export function fieldItems(data: PaletteData): PaletteItem[] {
  return data.fields.map((f) =>
    item(
      'Field',
      String(f.id),
      `${f.schema_name}.${f.table_name}.${f.field_name}`,
      `${f.field_type}${f.indexed_by.length > 0 ? ` · indexed by ${f.indexed_by.join(', ')}` : ''}`,
      { kind: 'intent', intent: { view: 'genome', act: 'show', schema: f.schema_name, table: f.table_name, field: f.field_name } },
    ),
  );
}

export function statementItems(data: PaletteData): PaletteItem[] {
  return data.statements.map((s) =>
    item(
      'Statement',
      String(s.queryid),
      s.query.replace(/\s+/g, ' ').slice(0, 200),
      `${s.calls.toLocaleString()} calls · ${s.mean_exec_ms.toFixed(2)} ms mean`,
      { kind: 'intent', intent: { view: 'workload', act: 'show', queryid: s.queryid } },
    ),
  );
}

/** Everything the palette can offer in this state, in group order. */
export function paletteItems(state: PaletteState, data: PaletteData): PaletteItem[] {
  const withConnection = state.active === null ? [] : [...proposalItems(state, data), ...changeItems(state, data), ...tableItems(data), ...statementItems(data), ...fieldItems(data)];
  return [...actionItems(state), ...viewItems(state), ...connectionItems(state, data), ...withConnection];
}
