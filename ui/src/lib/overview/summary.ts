// What the Overview view says about a database's overview: the list of things that wait for
// someone, each pointing at the view that acts on it, and the figures of its cards.
import type { ConnectionOverview, Overview } from '../backend';
import type { ViewId } from '../../views/ids';
import { formatBytes, formatCount, formatInt, plural } from '../format';

export interface AttentionItem {
  key: string;
  text: string;
  view: ViewId;
}

/** The states of changes that need someone, in the order a DBA acts on them. */
const CHANGE_ORDER = ['failed', 'applying', 'rolling_back', 'approved'];

/** A collector snapshot older than this is stale: the workload views show old figures. */
const STALE_COLLECTOR_S = 24 * 3600;

/** pg_stat_statements this full starts evicting statements the advisor then never sees. */
const FULL_SHARE = 0.9;

export function changeStates(o: Overview): [string, number][] {
  const rank = (s: string) => {
    const i = CHANGE_ORDER.indexOf(s);
    return i === -1 ? CHANGE_ORDER.length : i;
  };
  return Object.entries(o.changes)
    .filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0)
    .sort((a, b) => rank(a[0]) - rank(b[0]));
}

export function healthRows(o: Overview): { check: string; findings: number; bytes: number }[] {
  return Object.entries(o.health)
    .flatMap(([check, h]) => (h ? [{ check, findings: h.findings, bytes: h.bytes }] : []))
    .sort((a, b) => b.bytes - a.bytes || b.findings - a.findings);
}

/** Changes that need someone, all states together. */
export function changeCount(o: Overview): number {
  return changeStates(o).reduce((n, [, c]) => n + c, 0);
}

/** Index health findings, all checks together. */
export function findingCount(o: Overview): number {
  return healthRows(o).reduce((n, h) => n + h.findings, 0);
}

export function statementsFill(o: Overview): { share: number; evicted: number } | null {
  if (o.statements.max <= 0) return null;
  return { share: o.statements.entries / o.statements.max, evicted: o.statements.dealloc ?? 0 };
}

export function collectorAge(o: Overview): string {
  const age = o.collector.age_seconds;
  if (age === undefined) return 'The collector never ran here: start it in Workload to measure intervals.';
  if (age < 120) return 'Last workload snapshot just now.';
  if (age < 7200) return `Last workload snapshot ${Math.round(age / 60)} min ago.`;
  if (age < 2 * 86400) return `Last workload snapshot ${Math.round(age / 3600)} h ago.`;
  return `Last workload snapshot ${Math.round(age / 86400)} days ago.`;
}

/** Everything that waits for someone, most urgent first. Empty when nothing does. */
export function attentionItems(o: Overview): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const [state, n] of changeStates(o)) {
    const what = plural(n, 'change');
    const text =
      state === 'failed'
        ? `${what} failed: retry or roll back`
        : state === 'approved'
          ? `${what} approved and not yet built`
          : `${what} ${state.replace('_', ' ')}`;
    items.push({ key: `changes-${state}`, text, view: 'timeline' });
  }
  const waiting = o.proposals.creates + o.proposals.drops;
  if (waiting > 0) {
    items.push({
      key: 'proposals',
      text: `${plural(waiting, 'proposal')} waiting for a decision (saving ~${formatCount(o.proposals.estimated_saving)}, ${formatBytes(o.proposals.estimated_bytes)} to build)`,
      view: 'advisor',
    });
  }
  if (o.experiments.due > 0) {
    items.push({
      key: 'experiments',
      text: `${plural(o.experiments.due, 'experiment')} due for a verdict`,
      view: 'timeline',
    });
  }
  const findings = findingCount(o);
  if (findings > 0) {
    const bytes = healthRows(o).reduce((n, h) => n + h.bytes, 0);
    items.push({
      key: 'health',
      text: `${plural(findings, 'index health finding')}${bytes > 0 ? ` (up to ${formatBytes(bytes)} to reclaim)` : ''}`,
      view: 'workload',
    });
  }
  const fill = statementsFill(o);
  if (fill && (fill.evicted > 0 || fill.share >= FULL_SHARE)) {
    items.push({
      key: 'statements',
      text:
        fill.evicted > 0
          ? `pg_stat_statements evicted ${formatInt(fill.evicted)} statements: raise pg_stat_statements.max`
          : `pg_stat_statements is ${Math.round(fill.share * 100)}% full`,
      view: 'workload',
    });
  }
  const age = o.collector.age_seconds;
  if (o.initialised && age !== undefined && age > STALE_COLLECTOR_S) {
    items.push({ key: 'collector', text: collectorAge(o), view: 'workload' });
  }
  if (!o.initialised) {
    items.push({ key: 'init', text: 'IndexPilot is not initialised on this database', view: 'connections' });
  }
  return items;
}

export type AllSort = 'attention' | 'label' | 'proposals';

/**
 * The overview of every saved database in the chosen order. By attention, the databases
 * that could not be read come first (they are the first thing to look at); ties keep the
 * order the engine gave.
 */
export function sortRows(rows: ConnectionOverview[], sort: AllSort): ConnectionOverview[] {
  const unread = (r: ConnectionOverview) => (r.read.state === 'read' ? 1 : 0);
  const waiting = (r: ConnectionOverview) => {
    const p = r.read.overview?.proposals;
    return p ? p.creates + p.drops : -1;
  };
  const order: Record<AllSort, (a: ConnectionOverview, b: ConnectionOverview) => number> = {
    attention: (a, b) => unread(a) - unread(b) || b.read.attention - a.read.attention,
    label: (a, b) => a.label.localeCompare(b.label),
    proposals: (a, b) => waiting(b) - waiting(a),
  };
  return [...rows].sort(order[sort]);
}
