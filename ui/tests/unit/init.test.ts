import { emit } from '@tauri-apps/api/event';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { InitSummary, Progress, SavedConnection } from '../../src/lib/backend';
import { connection } from '../../src/lib/connection.svelte';
import ConnectionsView from '../../src/lib/connections/ConnectionsView.svelte';
import { activeOf, mockBackend, report, savedConnection } from './fixtures';

const summary: InitSummary = { version: 3, applied: [1, 2, 3], relations: 42, fields: 512, bootstrapped: true, changes: 512 };

/** Renders the view for `saved` (already in the mocked list) and runs Test. */
async function testedPanel(saved: SavedConnection): Promise<HTMLElement> {
  render(ConnectionsView);
  await screen.findByRole('region', { name: saved.label });
  await fireEvent.click(screen.getByRole('button', { name: 'Test' }));
  await screen.findByTestId('connection-report');
  return screen.getByTestId('init-panel');
}

describe('Initialise IndexPilot', () => {
  it('opens the connection, runs metadata_init with progress from "progress" events, then shows the summary', async () => {
    const saved = savedConnection();
    let finish: (value: InitSummary) => void = () => undefined;
    // Created up front, so that the test can finish it whenever the command has started.
    const result = new Promise<InitSummary>((resolve) => (finish = resolve));
    const calls = mockBackend({
      connections_list: () => [saved],
      connection_test: () => report({ metadata_present: false, metadata_version: null }),
      connection_open: () => activeOf(saved),
      task_cancel: () => true,
      metadata_init: async () => {
        const step: Progress = { task: 'init', phase: 'migrate', fraction: 0.4, message: 'applying migration 2', done: false };
        await emit('progress', step);
        // Another task's progress is not this panel's.
        await emit('progress', { ...step, task: 'sync', message: 'comparing', fraction: 0.9 });
        return result;
      },
    });
    const panel = await testedPanel(saved);
    await fireEvent.click(within(panel).getByRole('button', { name: 'Initialise IndexPilot' }));

    const bar = await within(panel).findByRole('progressbar', { name: 'Initialising IndexPilot' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('40'));
    expect(panel.textContent).toContain('applying migration 2');
    expect(panel.textContent).not.toContain('comparing');
    expect(within(panel).getByRole('button', { name: 'Cancel' })).toBeTruthy();

    finish(summary);
    const done = await within(panel).findByRole('status');
    expect(done.textContent).toContain('Metadata version 3 (migrations 1, 2, 3 applied)');
    expect(done.textContent).toContain('42 relations and 512 fields');
    expect(screen.getByTestId('metadata').textContent).toContain('version 3');
    expect(calls.map((call) => call.cmd)).toEqual(['connections_list', 'connection_test', 'connection_open', 'metadata_init']);
    expect(connection.active?.id).toBe('c1');
  });

  it('cancels through task_cancel("init")', async () => {
    const saved = savedConnection();
    connection.set(activeOf(saved));
    const calls = mockBackend({
      connections_list: () => [saved],
      connection_test: () => report({ metadata_present: false, metadata_version: null }),
      task_cancel: () => true,
      metadata_init: () => new Promise(() => undefined),
    });
    const panel = await testedPanel(saved);
    await fireEvent.click(within(panel).getByRole('button', { name: 'Initialise IndexPilot' }));
    await fireEvent.click(await within(panel).findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(calls.find((call) => call.cmd === 'task_cancel')?.args).toEqual({ task: 'init' }));
  });

  it('says so when the backend will not stop it', async () => {
    const saved = savedConnection();
    connection.set(activeOf(saved));
    mockBackend({
      connections_list: () => [saved],
      connection_test: () => report({ metadata_present: false, metadata_version: null }),
      task_cancel: () => false,
      metadata_init: () => new Promise(() => undefined),
    });
    const panel = await testedPanel(saved);
    await fireEvent.click(within(panel).getByRole('button', { name: 'Initialise IndexPilot' }));
    await fireEvent.click(await within(panel).findByRole('button', { name: 'Cancel' }));
    await within(panel).findByText(/cannot be stopped safely/);
    expect((within(panel).getByRole('button', { name: 'Cancel' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('is disabled, with the reason, on a read-only connection', async () => {
    const saved = savedConnection({ read_only: true });
    mockBackend({ connections_list: () => [saved], connection_test: () => report({ metadata_present: false, metadata_version: null }) });
    const panel = await testedPanel(saved);
    const button = within(panel).getByRole('button', { name: 'Initialise IndexPilot' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(panel.textContent).toContain('This connection is read-only');
  });

  it('is disabled, with the reason, when the role may not create schemas', async () => {
    const saved = savedConnection();
    const role = { ...report().role, can_create_schema: false };
    mockBackend({ connections_list: () => [saved], connection_test: () => report({ metadata_present: false, metadata_version: null, role }) });
    const panel = await testedPanel(saved);
    expect((within(panel).getByRole('button', { name: 'Initialise IndexPilot' }) as HTMLButtonElement).disabled).toBe(true);
    expect(panel.textContent).toContain('Role dba may not create schemas');
  });

  it('shows a failure in place', async () => {
    const saved = savedConnection();
    connection.set(activeOf(saved));
    mockBackend({
      connections_list: () => [saved],
      connection_test: () => report({ metadata_present: false, metadata_version: null }),
      metadata_init: () => {
        throw { code: 'permission_denied', message: 'permission denied for database crm', sqlstate: '42501', hint: 'GRANT CREATE ON DATABASE crm TO dba' };
      },
    });
    const panel = await testedPanel(saved);
    await fireEvent.click(within(panel).getByRole('button', { name: 'Initialise IndexPilot' }));
    const alert = await within(panel).findByRole('alert');
    expect(alert.textContent).toContain('permission denied for database crm');
    expect(alert.textContent).toContain('GRANT CREATE ON DATABASE crm TO dba');
  });
});
