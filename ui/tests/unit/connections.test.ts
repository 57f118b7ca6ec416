import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ConnectionInput, SavedConnection } from '../../src/lib/backend';
import { connection } from '../../src/lib/connection.svelte';
import ConnectionsView from '../../src/lib/connections/ConnectionsView.svelte';
import { activeOf, callsOf, mockBackend, report, savedConnection } from './fixtures';

const PASSWORD = 'hunter2-very-secret';

function setup(list: SavedConnection[], handlers: Parameters<typeof mockBackend>[0] = {}) {
  const calls = mockBackend({
    connections_list: () => list,
    connection_save: (args) => {
      const input = args.input as ConnectionInput;
      return savedConnection({
        id: input.id ?? 'new',
        label: input.label,
        colour: input.colour,
        read_only: input.read_only,
        target: input.target,
        // An edit keeps the stored password unless told to forget it.
        has_password: !input.forget_password && (input.password !== null || input.id !== null),
      });
    },
    ...handlers,
  });
  render(ConnectionsView);
  return calls;
}

const type = (label: string | RegExp, value: string, root: HTMLElement = document.body) =>
  fireEvent.input(within(root).getByLabelText(label), { target: { value } });

describe('connections list', () => {
  it('shows label, colour, target, read-only and keyring state of each connection', async () => {
    setup([
      savedConnection(),
      savedConnection({
        id: 'c2',
        label: 'CRM production',
        colour: '#ef4444',
        read_only: true,
        has_password: false,
        target: { kind: 'url', url: 'postgresql://dba@prod:5432/crm' },
      }),
    ]);
    const items = await screen.findAllByTestId('connection-item');
    expect(items).toHaveLength(2);
    const [staging, production] = items as [HTMLElement, HTMLElement];
    expect(staging.textContent).toContain('CRM staging');
    expect(staging.textContent).toContain('dba@db.internal:5432/crm');
    expect(staging.textContent).toContain('password saved');
    expect(staging.textContent).not.toContain('read-only');
    expect(production.textContent).toContain('postgresql://dba@prod:5432/crm');
    expect(production.textContent).toContain('no password');
    expect(production.textContent).toContain('read-only');
    expect((production.querySelector('.swatch') as HTMLElement).style.background).toBe('rgb(239, 68, 68)');
  });

  it('offers to add one when there is none', async () => {
    setup([]);
    await screen.findByText('No connections yet');
    await fireEvent.click(screen.getAllByRole('button', { name: /Add connection/ })[0] as HTMLElement);
    expect(screen.getByRole('form', { name: 'New connection' })).toBeTruthy();
  });
});

describe('connection form', () => {
  it('sends the password only inside connection_save and never shows it again', async () => {
    const calls = setup([]);
    await fireEvent.click((await screen.findAllByRole('button', { name: /Add connection/ }))[0] as HTMLElement);
    const form = screen.getByRole('form', { name: 'New connection' });
    await type('Name', 'Local', form);
    await type('Host', 'localhost', form);
    await type('Port', '5433', form);
    await type('Database', 'demo', form);
    await type('User', 'postgres', form);
    await type('Password', PASSWORD, form);
    await fireEvent.click(within(form).getByRole('button', { name: 'Add connection' }));

    await screen.findByRole('region', { name: 'Local' });
    const saves = callsOf(calls, 'connection_save');
    expect(saves).toHaveLength(1);
    expect(saves[0]?.args.input).toEqual({
      id: null,
      label: 'Local',
      colour: '#3b82f6',
      read_only: false,
      target: { kind: 'fields', host: 'localhost', port: 5433, database: 'demo', user: 'postgres', sslmode: 'prefer', sslrootcert: null },
      password: PASSWORD,
      forget_password: false,
    });
    // Only connection_save ever carried it, and the page does not hold it anywhere.
    const carriers = calls.filter((call) => JSON.stringify(call.args).includes(PASSWORD)).map((call) => call.cmd);
    expect(carriers).toEqual(['connection_save']);
    expect(document.body.innerHTML).not.toContain(PASSWORD);
    expect(screen.getByTestId('connection-item').textContent).toContain('password saved');

    // Editing never pre-fills it.
    await fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const edit = screen.getByRole('form', { name: 'Edit Local' });
    const password = within(edit).getByLabelText('Password') as HTMLInputElement;
    expect(password.value).toBe('');
    expect(password.placeholder).toBe('unchanged');
    expect(document.body.innerHTML).not.toContain(PASSWORD);
  });

  it('keeps the stored password unless typed, and can forget it', async () => {
    const calls = setup([savedConnection()]);
    await fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit CRM staging' });
    await type('Name', 'CRM staging 2', form);
    await fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await screen.findByRole('region', { name: 'CRM staging 2' });
    expect(callsOf(calls, 'connection_save')[0]?.args.input).toMatchObject({ id: 'c1', password: null, forget_password: false });

    await fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const again = screen.getByRole('form', { name: 'Edit CRM staging 2' });
    await fireEvent.click(within(again).getByLabelText('Forget the saved password'));
    expect((within(again).getByLabelText('Password') as HTMLInputElement).disabled).toBe(true);
    await fireEvent.click(within(again).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(callsOf(calls, 'connection_save')).toHaveLength(2));
    expect(callsOf(calls, 'connection_save')[1]?.args.input).toMatchObject({ password: null, forget_password: true });
  });

  it('moves a password out of a URL into the keyring field', async () => {
    const calls = setup([]);
    await fireEvent.click((await screen.findAllByRole('button', { name: /Add connection/ }))[0] as HTMLElement);
    const form = screen.getByRole('form', { name: 'New connection' });
    await type('Name', 'Prod', form);
    await fireEvent.click(within(form).getByRole('radio', { name: 'URL' }));
    await type('URL', 'postgresql://dba:p%40ss@prod:5432/crm?sslmode=require', form);
    expect(within(form).getByText(/goes to the OS keyring/)).toBeTruthy();
    await fireEvent.click(within(form).getByRole('button', { name: 'Add connection' }));
    await waitFor(() => expect(callsOf(calls, 'connection_save')).toHaveLength(1));
    expect(callsOf(calls, 'connection_save')[0]?.args.input).toMatchObject({
      target: { kind: 'url', url: 'postgresql://dba@prod:5432/crm?sslmode=require' },
      password: 'p@ss',
    });
  });

  it('checks the fields before saving', async () => {
    const calls = setup([]);
    await fireEvent.click((await screen.findAllByRole('button', { name: /Add connection/ }))[0] as HTMLElement);
    const form = screen.getByRole('form', { name: 'New connection' });
    await type('Port', '99999', form);
    await fireEvent.click(within(form).getByRole('button', { name: 'Add connection' }));
    expect(within(form).getByText('Give the connection a name.')).toBeTruthy();
    expect(within(form).getByText(/1–65535/)).toBeTruthy();
    expect(callsOf(calls, 'connection_save')).toHaveLength(0);
  });

  it('shows a save error in place, with its hint', async () => {
    setup([savedConnection()], {
      connection_save: () => {
        throw { code: 'keyring', message: 'The OS keyring is locked.', hint: 'Unlock the login keyring and try again.' };
      },
    });
    await fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit CRM staging' });
    await type('Password', PASSWORD, form);
    await fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toContain('The OS keyring is locked.');
    expect(alert.textContent).toContain('Unlock the login keyring');
    expect(alert.textContent).not.toContain('{');
  });
});

describe('connection actions', () => {
  it('renders the test report', async () => {
    setup([savedConnection()], { connection_test: () => report() });
    await fireEvent.click(await screen.findByRole('button', { name: 'Test' }));
    const card = await screen.findByTestId('connection-report');
    expect(card.textContent).toContain('PostgreSQL 16.4');
    expect(card.textContent).toContain('7 ms');
    expect(within(card).getByTestId('ext-pg_stat_statements').textContent).toContain('installed 1.10 · preloaded');
    expect(within(card).getByTestId('ext-hypopg').textContent).toContain('available, not installed');
    expect(within(card).getByTestId('ext-hypopg').textContent).toContain('CREATE EXTENSION hypopg;');
    expect(within(card).getByTestId('metadata').textContent).toContain('version 3');
    expect(card.textContent).toContain('may create schemas');
    expect(card.textContent).toContain('not: reads all statistics');
    expect(screen.queryByTestId('init-panel')).toBeNull();
  });

  it('says "not initialised" and warns about a pg_stat_statements that is not preloaded', async () => {
    setup([savedConnection()], {
      connection_test: () =>
        report({ metadata_present: false, metadata_version: null, pg_stat_statements: { available: true, installed: true, preloaded: false, version: '1.10' } }),
    });
    await fireEvent.click(await screen.findByRole('button', { name: 'Test' }));
    const card = await screen.findByTestId('connection-report');
    expect(within(card).getByTestId('metadata').textContent).toContain('not initialised');
    expect(within(card).getByTestId('ext-pg_stat_statements').textContent).toContain('shared_preload_libraries');
    expect(within(card).getByRole('button', { name: 'Initialise IndexPilot' })).toBeTruthy();
  });

  it('offers an upgrade for older metadata, and nothing when the version cannot be read', async () => {
    const reports = [
      report({ metadata_version: 2 }),
      report({
        metadata_version: null,
        role: { ...report().role, can_use_metadata: false },
        pg_stat_statements: { available: true, installed: true, preloaded: null, version: '1.10' },
      }),
    ];
    setup([savedConnection()], { connection_test: () => reports.shift() });
    await fireEvent.click(await screen.findByRole('button', { name: 'Test' }));
    await screen.findByTestId('connection-report');
    expect(screen.getByTestId('metadata').textContent).toContain('version 2 (this app brings 3)');
    expect(screen.getByRole('button', { name: 'Upgrade IndexPilot metadata' })).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(screen.getByTestId('metadata').textContent).toContain('may not read its version'));
    expect(screen.queryByTestId('init-panel')).toBeNull();
    expect(screen.getByTestId('ext-pg_stat_statements').textContent).toContain('preload unknown');
  });

  it('shows a test failure in place: message and hint, no raw dump', async () => {
    setup([savedConnection()], {
      connection_test: () => {
        throw { code: 'auth_failed', message: 'password authentication failed for user "dba"', hint: 'Check the password.', sqlstate: '28P01' };
      },
    });
    await fireEvent.click(await screen.findByRole('button', { name: 'Test' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('password authentication failed');
    expect(alert.textContent).toContain('Check the password.');
    expect(alert.textContent).toContain('SQLSTATE 28P01');
    expect(alert.textContent).not.toContain('{');
  });

  it('opens a connection and makes it the active one', async () => {
    const saved = savedConnection();
    const calls = setup([saved], { connection_open: () => activeOf(saved), connection_close: () => null });
    await fireEvent.click(await screen.findByRole('button', { name: 'Open' }));
    await waitFor(() => expect(connection.active?.id).toBe('c1'));
    expect(callsOf(calls, 'connection_open')[0]?.args).toEqual({ id: 'c1', password: null });
    expect(screen.getByTestId('connection-item').textContent).toContain('open');
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(connection.active).toBeNull());
  });

  it('asks for the password for this session when the keyring cannot give the saved one', async () => {
    const saved = savedConnection();
    const calls = setup([saved], {
      connection_open: (args) => {
        if (args.password === null) {
          throw {
            code: 'password_unavailable',
            message: 'the saved password could not be read from the OS keyring (no result found)',
          };
        }
        return activeOf(saved);
      },
      connection_close: () => null,
    });
    await fireEvent.click(await screen.findByRole('button', { name: 'Open' }));
    const form = await screen.findByTestId('session-password-form');
    expect(form.textContent).toContain('no result found');
    expect(form.textContent).toContain('for this session');
    expect(screen.queryByRole('alert')).toBeNull();
    await type('Password for this session', PASSWORD, form);
    await fireEvent.click(within(form).getByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(connection.active?.id).toBe('c1'));
    expect(callsOf(calls, 'connection_open').map((c) => c.args.password)).toEqual([null, PASSWORD]);
    expect(screen.queryByTestId('session-password-form')).toBeNull();
    expect(document.body.textContent).not.toContain(PASSWORD);
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(connection.active).toBeNull());
  });

  it('duplicates a connection', async () => {
    setup([savedConnection()], { connection_duplicate: () => savedConnection({ id: 'c9', label: 'CRM staging (copy)' }) });
    await fireEvent.click(await screen.findByRole('button', { name: 'Duplicate' }));
    await screen.findByRole('region', { name: 'CRM staging (copy)' });
    expect(screen.getAllByTestId('connection-item')).toHaveLength(2);
  });

  it('deletes only after confirmation', async () => {
    const calls = setup([savedConnection(), savedConnection({ id: 'c2', label: 'Other' })], { connection_delete: () => null });
    await fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete connection' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(callsOf(calls, 'connection_delete')).toHaveLength(0);
    expect(screen.getAllByTestId('connection-item')).toHaveLength(2);

    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await fireEvent.click(within(screen.getByRole('dialog', { name: 'Delete connection' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.getAllByTestId('connection-item')).toHaveLength(1));
    expect(callsOf(calls, 'connection_delete')[0]?.args).toEqual({ id: 'c1' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
