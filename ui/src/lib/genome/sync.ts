// Reading a SyncPlan: counts and one line per change, for the sync dialog.
import type { FieldRef, Shape, SyncPlan } from '../backend';
import { refKey } from './refs';

export function changeCount(plan: SyncPlan): number {
  return plan.added.length + plan.removed.length + plan.type_changed.length + plan.renamed.length;
}

function shape(s: Shape): string {
  return `${s.field_type}${s.is_required ? ' not null' : ''}`;
}

const ref = (r: FieldRef) => refKey(r);

export interface PlanSection {
  id: 'added' | 'removed' | 'type_changed' | 'renamed' | 'tables_added' | 'tables_removed';
  title: string;
  lines: string[];
}

/** The plan as titled lists of lines; empty sections are left out. */
export function planSections(plan: SyncPlan): PlanSection[] {
  const sections: PlanSection[] = [
    { id: 'tables_added', title: 'Tables added', lines: plan.tables_added },
    { id: 'tables_removed', title: 'Tables removed', lines: plan.tables_removed },
    {
      id: 'added',
      title: 'Fields added',
      lines: plan.added.map((f) => `${f.schema}.${f.table}.${f.field}  ${f.field_type}${f.is_required ? ' not null' : ''}`),
    },
    {
      id: 'removed',
      title: 'Fields removed',
      lines: plan.removed.map((f) => `${f.schema_name}.${f.table_name}.${f.field_name}  ${f.field_type}`),
    },
    {
      id: 'type_changed',
      title: 'Type or nullability changed',
      lines: plan.type_changed.map((c) => `${ref(c.field)}  ${shape(c.before)} → ${shape(c.after)}`),
    },
    {
      id: 'renamed',
      title: 'Renamed',
      lines: plan.renamed.map((r) => `${ref(r.from)} → ${ref(r.to)}  (${r.what})`),
    },
  ];
  return sections.filter((section) => section.lines.length > 0);
}
