// Ordering and filtering the workload's statements, and the tables each one uses.
import type { StatementUsage } from '../backend';

export type StatementOrder = 'total' | 'calls' | 'mean';

/** `schema.table` of every table a statement uses, as the analyser resolved them. */
export function tablesOf(s: StatementUsage): string[] {
  return [...new Set(s.analysis.tables.map((t) => (t.schema ? `${t.schema}.${t.table}` : t.table)))];
}

/** Statements matching `query` (in their text or their tables), biggest first by `order`. */
export function sortStatements(list: readonly StatementUsage[], order: StatementOrder, query: string): StatementUsage[] {
  const q = query.trim().toLowerCase();
  const hit = (s: StatementUsage) =>
    q === '' || s.query.toLowerCase().includes(q) || tablesOf(s).some((t) => t.toLowerCase().includes(q));
  const by = (s: StatementUsage) => (order === 'calls' ? s.calls : order === 'mean' ? s.mean_exec_ms : s.total_exec_ms);
  return list.filter(hit).sort((a, b) => by(b) - by(a) || a.queryid - b.queryid);
}
