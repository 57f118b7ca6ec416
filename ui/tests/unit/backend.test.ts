import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import * as backend from '../../src/lib/backend';
import { appInfo, ErrorCode, hasBackend, toBackendError, type Progress } from '../../src/lib/backend';
import { mockBackend } from './fixtures';

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
      return { name: 'IndexPilot', version: '0.1.0', engine_version: '0.1.0' };
    });
    expect(hasBackend()).toBe(true);
    await expect(appInfo()).resolves.toEqual({ name: 'IndexPilot', version: '0.1.0', engine_version: '0.1.0' });
    expect(calls).toEqual(['app_info']);
  });

  it('normalises a rejection into a BackendError', async () => {
    mockIPC(() => {
      throw 'unexpected string';
    });
    await expect(appInfo()).rejects.toEqual({ code: ErrorCode.Unknown, message: 'unexpected string' });
  });
});

describe('command functions', () => {
  it('invoke each command with its contract name and argument names', async () => {
    const calls = mockBackend(
      Object.fromEntries(
        [
          'connections_list',
          'connection_save',
          'connection_duplicate',
          'connection_delete',
          'connection_test',
          'connection_open',
          'connection_close',
          'active_connection',
          'metadata_init',
          'genome_browse',
          'genome_set_flags',
          'sync_plan',
          'sync_apply',
          'tenants_list',
          'expression_matrix',
          'expression_set',
          'task_cancel',
        ].map((cmd) => [cmd, () => null]),
      ),
    );
    const input = {
      id: null,
      label: 'x',
      colour: '#000000',
      read_only: false,
      target: { kind: 'url', url: 'postgresql://a@b/c' },
      password: 's3cret',
      forget_password: false,
    } as const;
    const ref = { schema: 'public', table: 'deals', column: 'region' };
    const edit = { is_indexable: true, feature_group: null, default_expression: null };
    const toggle = { tenant_id: '5', field: ref, enabled: true };
    await backend.connectionsList();
    await backend.connectionSave(input);
    await backend.connectionDuplicate('c1');
    await backend.connectionDelete('c1');
    await backend.connectionTest('c1');
    await backend.connectionOpen('c1');
    await backend.connectionClose();
    await backend.activeConnection();
    await backend.metadataInit();
    await backend.genomeBrowse();
    await backend.genomeSetFlags([ref], edit, 'why');
    await backend.syncPlan();
    await backend.syncApply('ab12');
    await backend.tenantsList();
    await backend.expressionMatrix();
    await backend.expressionMatrix('billing');
    await backend.expressionSet([toggle], null);
    await backend.taskCancel('sync');
    expect(calls).toEqual([
      { cmd: 'connections_list', args: {} },
      { cmd: 'connection_save', args: { input } },
      { cmd: 'connection_duplicate', args: { id: 'c1' } },
      { cmd: 'connection_delete', args: { id: 'c1' } },
      { cmd: 'connection_test', args: { id: 'c1', password: null } },
      { cmd: 'connection_open', args: { id: 'c1', password: null } },
      { cmd: 'connection_close', args: {} },
      { cmd: 'active_connection', args: {} },
      { cmd: 'metadata_init', args: {} },
      { cmd: 'genome_browse', args: {} },
      { cmd: 'genome_set_flags', args: { fields: [ref], edit, reason: 'why' } },
      { cmd: 'sync_plan', args: {} },
      { cmd: 'sync_apply', args: { fingerprint: 'ab12' } },
      { cmd: 'tenants_list', args: {} },
      { cmd: 'expression_matrix', args: { featureGroup: null } },
      { cmd: 'expression_matrix', args: { featureGroup: 'billing' } },
      { cmd: 'expression_set', args: { toggles: [toggle], reason: null } },
      { cmd: 'task_cancel', args: { task: 'sync' } },
    ]);
  });

  it('keep SQLSTATE, hint and detail of a PostgreSQL error', async () => {
    mockBackend({
      genome_browse: () => {
        throw { code: 'permission_denied', message: 'permission denied for schema indexpilot', sqlstate: '42501', hint: 'GRANT USAGE' };
      },
    });
    await expect(backend.genomeBrowse()).rejects.toEqual({
      code: 'permission_denied',
      message: 'permission denied for schema indexpilot',
      sqlstate: '42501',
      hint: 'GRANT USAGE',
    });
  });
});

describe('onProgress', () => {
  it('delivers "progress" events until unsubscribed', async () => {
    mockBackend({});
    const seen: Progress[] = [];
    const stop = await backend.onProgress((progress) => seen.push(progress));
    const first: Progress = { task: 'sync', phase: 'read', fraction: 0.5, message: 'reading', done: false };
    await emit('progress', first);
    stop();
    await emit('progress', { ...first, done: true });
    expect(seen).toEqual([first]);
  });

  it('is a no-op outside Tauri', async () => {
    const stop = await backend.onProgress(() => undefined);
    expect(() => stop()).not.toThrow();
  });
});
