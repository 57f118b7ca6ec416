import type { ErrorCode as EngineErrorCode } from './bindings';

// The one error shape every command rejects with. The Rust side serialises `IpcError` to this
// shape; it is not in bindings/ because the UI also produces it itself (no_backend, unknown)
// and normalises whatever `invoke` rejects with into it.

/** An error from the backend: the UI branches on `code` and shows message and hint in place. */
export interface BackendError {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  /** PostgreSQL SQLSTATE when the error came from the server, e.g. "42501". */
  sqlstate?: string;
}

/** Every code a BackendError carries: the engine's (generated from its `ErrorCode` enum) and
 * the two the UI produces itself. */
export type Code = EngineErrorCode | 'no_backend' | 'unknown';

/** Codes the UI branches on, checked against the engine's enum: a code renamed in Rust fails
 * the type check here. */
export const ErrorCode = {
  /** The page runs outside Tauri (plain browser preview, tests without a mock). */
  NoBackend: 'no_backend',
  /** The backend rejected with something that is not a `{ code, message }` object. */
  Unknown: 'unknown',
  /** A write command on a read-only connection. */
  ReadOnly: 'read_only',
  /** A command that needs an open connection. */
  NoConnection: 'no_connection',
  /** The database has no `indexpilot` schema yet. */
  NotInitialised: 'not_initialised',
  NotFound: 'not_found',
  /** A task stopped by task_cancel. */
  Cancelled: 'cancelled',
  Keyring: 'keyring',
  /** The saved password cannot be read from the OS keyring now: ask for it for this session. */
  PasswordUnavailable: 'password_unavailable',
} as const satisfies Record<string, Code>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Turns whatever `invoke` rejected with into a BackendError.
 * Commands reject with the boundary object; Tauri itself rejects with a plain string
 * (e.g. an unknown command), and JS code may throw an Error.
 */
export function toBackendError(reason: unknown): BackendError {
  if (isRecord(reason) && typeof reason.code === 'string' && typeof reason.message === 'string') {
    const error: BackendError = { code: reason.code, message: reason.message };
    const detail = optionalString(reason.detail);
    const hint = optionalString(reason.hint);
    const sqlstate = optionalString(reason.sqlstate);
    if (detail !== undefined) error.detail = detail;
    if (hint !== undefined) error.hint = hint;
    if (sqlstate !== undefined) error.sqlstate = sqlstate;
    return error;
  }
  if (reason instanceof Error) {
    return { code: ErrorCode.Unknown, message: reason.message || reason.name };
  }
  if (typeof reason === 'string' && reason.length > 0) {
    return { code: ErrorCode.Unknown, message: reason };
  }
  return { code: ErrorCode.Unknown, message: 'The backend failed without an explanation.' };
}

export function isBackendError(value: unknown): value is BackendError {
  return isRecord(value) && typeof value.code === 'string' && typeof value.message === 'string';
}
