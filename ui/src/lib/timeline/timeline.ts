// The timeline's pure parts: each change's latest state, filters and one-line descriptions.
import type { HistoryEntry, MutationKind } from '../backend';

export interface TimelineFilter {
  kind: string;
  table: string;
  tenant: string;
  actor: string;
}

/** The newest entry with a status, per change (a change's state is its latest transition). */
export function latestStates(entries: readonly HistoryEntry[]): Map<number, HistoryEntry> {
  const out = new Map<number, HistoryEntry>();
  for (const e of entries) {
    if (e.status === undefined || e.status === null) continue;
    out.set(e.change_id, e);
  }
  return out;
}

const contains = (value: string | null | undefined, query: string): boolean =>
  query.trim() === '' || (value ?? '').toLowerCase().includes(query.trim().toLowerCase());

export function matchEntry(e: HistoryEntry, f: TimelineFilter): boolean {
  return (
    (f.kind === '' || e.kind === f.kind) &&
    contains([e.schema_name, e.table_name].filter(Boolean).join('.'), f.table) &&
    contains(e.tenant_id, f.tenant) &&
    contains(`${e.actor_role} ${e.actor_os_user ?? ''}`, f.actor)
  );
}

/** Every kind the log holds (MutationKind is generated from the engine's enum: a new kind fails
 * the type check until it has a label). */
const labels: Record<MutationKind, string> = {
  index_create: 'index created',
  index_drop: 'index dropped',
  validation: 'validation',
  field_enable: 'field enabled',
  field_disable: 'field disabled',
  flag_edit: 'flag edit',
  schema_change: 'schema change',
  policy_change: 'policy change',
  genome_bootstrap: 'genome bootstrap',
  init: 'init',
};

export const kindLabel = (kind: string): string => labels[kind as MutationKind] ?? kind;

/** Why this entry happened, from its details: a reason, an error, a verdict, a note. */
export function describeEntry(e: HistoryEntry): string {
  const d = (e.details_json ?? {}) as Record<string, unknown>;
  const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
  if (e.kind === 'validation') {
    return text(d.reason) ?? `verdict: ${String(d.verdict)}`;
  }
  const parts = [text(d.message), text(d.reason), text(d.note), text(d.cleanup)].filter((p): p is string => p !== null);
  if (parts.length > 0) return parts.join(' — ');
  if (typeof d.duration_ms === 'number') return `took ${(d.duration_ms / 1000).toFixed(1)} s`;
  if (typeof d.setting === 'string') return `setting ${d.setting}${typeof d.key === 'string' ? `.${d.key}` : ''}`;
  return '';
}
