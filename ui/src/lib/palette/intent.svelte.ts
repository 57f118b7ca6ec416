// What the palette (or another view) asks a view to do once it shows: select a statement,
// open a proposal's confirmation, roll a change back. The view takes the intent when its data
// has loaded, so a request made from anywhere lands on a ready view exactly once.
import type { ViewId } from '../../views/ids';
import { router } from '../router.svelte';

export type WorkloadTab = 'statements' | 'fields' | 'health';

export type Intent =
  | { view: 'connections'; act: 'open'; id: string }
  | { view: 'connections'; act: 'add' }
  | { view: 'overview'; act: 'scope'; scope: 'one' | 'all' }
  | { view: 'genome'; act: 'show'; schema: string; table: string; field: string | null }
  | { view: 'genome'; act: 'sync' }
  | { view: 'workload'; act: 'show'; queryid: number }
  | { view: 'workload'; act: 'tab'; tab: WorkloadTab }
  | { view: 'workload'; act: 'collector'; on: boolean }
  | { view: 'advisor'; act: 'run' }
  | { view: 'advisor'; act: 'show' | 'approve' | 'reject' | 'compare'; proposal: number }
  | { view: 'timeline'; act: 'show' | 'rollback' | 'reapply'; change: number };

export type IntentFor<V extends ViewId> = Extract<Intent, { view: V }>;

class Intents {
  pending: Intent | null = $state.raw(null);

  /** Goes to the intent's view, which acts on it when ready. */
  send(intent: Intent): void {
    this.pending = intent;
    router.go(intent.view);
  }

  /** The pending intent for `view`, left pending (a view reads it to prepare, e.g. to select). */
  peek<V extends ViewId>(view: V): IntentFor<V> | null {
    const p = this.pending;
    return p?.view === view ? (p as IntentFor<V>) : null;
  }

  /**
   * The pending intent for `view` if `accept` takes it, removed so it runs once. Read in an
   * effect, so the view reacts when one arrives while it is already showing.
   */
  take<V extends ViewId>(view: V, accept: (intent: IntentFor<V>) => boolean = () => true): IntentFor<V> | null {
    const p = this.peek(view);
    if (p === null || !accept(p)) return null;
    this.pending = null;
    return p;
  }

  /** Drops a request the view cannot act on (its target is gone). */
  drop(): void {
    this.pending = null;
  }
}

export const intents = new Intents();
