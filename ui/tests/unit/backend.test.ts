import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import { appInfo, ErrorCode, hasBackend, toBackendError } from '../../src/lib/backend';

describe('toBackendError', () => {
  it('keeps the boundary shape and its optional fields', () => {
    const reason = { code: 'pg_error', message: 'permission denied', detail: 'SQLSTATE 42501', hint: 'GRANT pg_read_all_stats', extra: 1 };
    expect(toBackendError(reason)).toEqual({
      code: 'pg_error',
      message: 'permission denied',
      detail: 'SQLSTATE 42501',
      hint: 'GRANT pg_read_all_stats',
    });
  });

  it('drops empty or non-string optional fields', () => {
    expect(toBackendError({ code: 'x', message: 'y', detail: '', hint: 3 })).toEqual({ code: 'x', message: 'y' });
  });

  it('wraps the plain strings Tauri rejects with', () => {
    expect(toBackendError('command app_info not found')).toEqual({
      code: ErrorCode.Unknown,
      message: 'command app_info not found',
    });
  });

  it('wraps Error objects and anything else', () => {
    expect(toBackendError(new TypeError('boom'))).toEqual({ code: ErrorCode.Unknown, message: 'boom' });
    expect(toBackendError(undefined).code).toBe(ErrorCode.Unknown);
    expect(toBackendError({ message: 'no code' }).code).toBe(ErrorCode.Unknown);
  });
});

describe('appInfo', () => {
  it('rejects with no_backend outside Tauri', async () => {
    expect(hasBackend()).toBe(false);
    await expect(appInfo()).rejects.toMatchObject({ code: ErrorCode.NoBackend });
  });

  it('invokes app_info and returns its payload', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return { name: 'IndexPilot', version: '0.1.0', engineVersion: '0.1.0' };
    });
    expect(hasBackend()).toBe(true);
    await expect(appInfo()).resolves.toEqual({ name: 'IndexPilot', version: '0.1.0', engineVersion: '0.1.0' });
    expect(calls).toEqual(['app_info']);
  });

  it('normalises a rejection into a BackendError', async () => {
    mockIPC(() => {
      throw 'unexpected string';
    });
    await expect(appInfo()).rejects.toEqual({ code: ErrorCode.Unknown, message: 'unexpected string' });
  });
});
