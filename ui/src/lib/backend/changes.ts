// The daily loop: workload, advisor, approving and applying changes, the timeline.
import type {
  Advice,
  ChangeAction,
  ChangePreview,
  ChangeView,
  CollectorStatus,
  Explained,
  StoredProposal,
  FieldUsageReport,
  HealthReport,
  HistoryEntry,
  IndexDef,
  Theme,
  WorkloadReport,
} from './bindings';
import { call } from './ipc';

export function workloadTop(top: number): Promise<WorkloadReport> {
  return call<WorkloadReport>('workload_top', { top });
}

/** Runs the advisor (task "advise"); on a read-only connection nothing is recorded. */
export function adviseRun(budgetBytes: number | null, maxIndexes: number | null): Promise<Advice> {
  return call<Advice>('advise_run', { budgetBytes, maxIndexes });
}

/** The proposals the mutation log holds open, with who proposed them and when. */
export function adviceStored(): Promise<StoredProposal[]> {
  return call<StoredProposal[]>('advice_stored', {});
}

export function changeGet(id: number): Promise<ChangeView> {
  return call<ChangeView>('change_get', { id });
}

export function changeApprove(id: number, note: string | null): Promise<ChangeView> {
  return call<ChangeView>('change_approve', { id, note });
}

export function changeReject(id: number, reason: string): Promise<ChangeView> {
  return call<ChangeView>('change_reject', { id, reason });
}

/** The task name of a change's build, for progress events and task_cancel. */
export const changeTask = (id: number): string => `change-${id}`;

/** Applies, rolls back or re-applies; progress arrives as task `change-<id>`. */
/** What `changeRun` with `action` would run now, and what its text does not say. Reads only. */
export function changePreview(id: number, action: ChangeAction): Promise<ChangePreview> {
  return call<ChangePreview>('change_preview', { id, action });
}

export function changeRun(id: number, action: ChangeAction): Promise<ChangeView> {
  return call<ChangeView>('change_run', { id, action });
}

export function timeline(limit: number | null = null): Promise<HistoryEntry[]> {
  return call<HistoryEntry[]>('timeline', { limit });
}

export function experimentChart(experimentId: number, theme: Theme): Promise<string> {
  return call<string>('experiment_chart', { experimentId, theme });
}

/** A statement's plan now, or with one hypothetical index (nothing is built). */
export function explainStatement(query: string, index: IndexDef | null = null): Promise<Explained> {
  return call<Explained>('explain_statement', { query, index });
}

/** Mean time and calls over the collected intervals (SVG), a change marked when given. */
export function statementChart(queryid: number, changeId: number | null, theme: Theme): Promise<string> {
  return call<string>('statement_chart', { queryid, changeId, theme });
}

export function healthReport(): Promise<HealthReport> {
  return call<HealthReport>('health_report');
}

export function collectorStatus(): Promise<CollectorStatus> {
  return call<CollectorStatus>('collector_status');
}

/** Starts the background collector every `intervalS` seconds, or stops it with `null`. */
export function collectorSet(intervalS: number | null): Promise<CollectorStatus> {
  return call<CollectorStatus>('collector_set', { intervalS });
}

/** Calls and time per field and role in the collected workload. */
export function fieldUsage(): Promise<FieldUsageReport> {
  return call<FieldUsageReport>('field_usage');
}
