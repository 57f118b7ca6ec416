// The one module that talks to Tauri. Views and components call these typed functions and
// never import @tauri-apps/api themselves (eslint enforces this).
import { invoke } from '@tauri-apps/api/core';
import { ErrorCode, toBackendError, type BackendError } from './errors';
import type { AppInfo } from './types';

export type { AppInfo, CommandError } from './types';
export { ErrorCode, isBackendError, toBackendError, type BackendError } from './errors';

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

/** Invokes a command and normalises any rejection into a BackendError. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!hasBackend()) throw { ...noBackend };
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toBackendError(reason);
  }
}

/** Name and versions of the app and its engine (command `app_info`). */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}
