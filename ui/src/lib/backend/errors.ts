import type { CommandError } from './types';

/** An error from the backend, always in the boundary shape `{ code, message, detail?, hint? }`. */
export type BackendError = CommandError;

/** Codes produced on the UI side of the boundary (the engine owns all the others). */
export const ErrorCode = {
  /** The page runs outside Tauri (plain browser preview, tests without a mock). */
  NoBackend: 'no_backend',
  /** The backend rejected with something that is not a `{ code, message }` object. */
  Unknown: 'unknown',
} as const;

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
    if (detail !== undefined) error.detail = detail;
    if (hint !== undefined) error.hint = hint;
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
