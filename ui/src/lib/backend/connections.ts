// Saved connections (local app state; passwords live in the OS keyring) and the active one.
import type { ActiveConnection, ConnectionInput, ConnectionReport, InitSummary, SavedConnection } from './bindings';
import { call } from './ipc';

export function connectionsList(): Promise<SavedConnection[]> {
  return call<SavedConnection[]>('connections_list');
}

/** Creates (`input.id === null`) or updates a connection. The password goes only this way in. */
export function connectionSave(input: ConnectionInput): Promise<SavedConnection> {
  return call<SavedConnection>('connection_save', { input });
}

export function connectionDuplicate(id: string): Promise<SavedConnection> {
  return call<SavedConnection>('connection_duplicate', { id });
}

export function connectionDelete(id: string): Promise<null> {
  return call<null>('connection_delete', { id });
}

/** Connects, reads what IndexPilot needs to know about the server, and disconnects. */
export function connectionTest(id: string, password?: string): Promise<ConnectionReport> {
  return call<ConnectionReport>('connection_test', { id, password: password ?? null });
}

/**
 * Makes the connection the active one: the one every other view works on. `password` is one
 * typed for this session when the keyring cannot give the saved one; it is never stored.
 */
export function connectionOpen(id: string, password?: string): Promise<ActiveConnection> {
  return call<ActiveConnection>('connection_open', { id, password: password ?? null });
}

export function connectionClose(): Promise<null> {
  return call<null>('connection_close');
}

export function activeConnection(): Promise<ActiveConnection | null> {
  return call<ActiveConnection | null>('active_connection');
}

/** Creates or upgrades schema `indexpilot` on the active connection; emits progress task "init". */
export function metadataInit(): Promise<InitSummary> {
  return call<InitSummary>('metadata_init');
}
