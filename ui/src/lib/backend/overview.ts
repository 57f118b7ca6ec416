// The Overview view: what needs attention on the open database.
import type { ConnectionOverview, Overview } from './bindings';
import { call } from './ipc';

/** The open database's overview, read only. */
export function overviewGet(): Promise<Overview> {
  return call<Overview>('overview_get', {});
}

/** Every saved connection's overview, read at once (read-only sessions, one time limit each). */
export function overviewAll(): Promise<ConnectionOverview[]> {
  return call<ConnectionOverview[]>('overview_all', {});
}
