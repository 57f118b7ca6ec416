// The invoke wrapper every command function goes through: one place for "no backend" and for
// error normalisation, so callers only ever see a BackendError.
import { invoke } from '@tauri-apps/api/core';
import { ErrorCode, toBackendError, type BackendError } from './errors';

interface TauriWindow {
  __TAURI_INTERNALS__?: { invoke?: unknown };
}

/** True when the page runs inside the Tauri webview (or under a test's mockIPC). */
export function hasBackend(): boolean {
  if (typeof window === 'undefined') return false;
  const internals = (window as TauriWindow).__TAURI_INTERNALS__;
  return typeof internals?.invoke === 'function';
}

const noBackend: BackendError = {
  code: ErrorCode.NoBackend,
  message: 'Not running inside the IndexPilot app.',
  hint: 'This is a browser preview; start the desktop app to talk to the engine.',
};

/**
 * Invokes a command and normalises any rejection into a BackendError.
 * Argument names are camelCase (Tauri converts them to the Rust parameter names);
 * payload fields inside them stay snake_case.
 */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!hasBackend()) throw { ...noBackend };
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toBackendError(reason);
  }
}
