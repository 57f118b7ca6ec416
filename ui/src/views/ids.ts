// The views of the app in sidebar order. Ctrl/Cmd+<n> opens the n-th one.
export const viewIds = ['connections', 'overview', 'genome', 'tenants', 'workload', 'advisor', 'timeline', 'types'] as const;

export type ViewId = (typeof viewIds)[number];

export const defaultViewId: ViewId = 'connections';

export function isViewId(value: string): value is ViewId {
  return (viewIds as readonly string[]).includes(value);
}

export interface ViewMeta {
  id: ViewId;
  label: string;
  /** One line under the heading: what the view is for. */
  summary: string;
}

export const viewMeta: Record<ViewId, ViewMeta> = {
  connections: {
    id: 'connections',
    label: 'Connections',
    summary: 'PostgreSQL databases IndexPilot reads from and, with your approval, changes.',
  },
  overview: {
    id: 'overview',
    label: 'Overview',
    summary: 'What needs your attention on this database, each item linked to the view that acts on it.',
  },
  genome: {
    id: 'genome',
    label: 'Genome',
    summary: 'Every field (schema.table.column) and the decisions you have made about it.',
  },
  tenants: {
    id: 'tenants',
    label: 'Tenants',
    summary: 'Which fields each tenant actually uses.',
  },
  workload: {
    id: 'workload',
    label: 'Workload',
    summary: 'The statements the database runs, how often and at what cost.',
  },
  advisor: {
    id: 'advisor',
    label: 'Advisor',
    summary: 'Indexes to add or drop, with the evidence for each.',
  },
  timeline: {
    id: 'timeline',
    label: 'Timeline',
    summary: 'Every decision and change, who made it, and how to undo it.',
  },
  types: {
    id: 'types',
    label: 'Types',
    summary: 'Row types (Python, TypeScript, Rust) generated from the live schema for the applications that query it.',
  },
};
