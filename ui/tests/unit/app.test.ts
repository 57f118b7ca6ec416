import { mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import { THEME_STORAGE_KEY } from '../../src/lib/theme.svelte';
import { viewIds, viewMeta } from '../../src/views/ids';

const heading = () => screen.getByRole('heading', { level: 1 });

describe('status bar', () => {
  it('shows the engine version that app_info returns', async () => {
    mockIPC((cmd) => {
      if (cmd === 'app_info') return { name: 'IndexPilot', version: '0.1.0', engine_version: '0.7.3' };
      throw { code: 'unknown_command', message: cmd };
    });
    render(App);
    const engine = screen.getByTestId('status-engine');
    await within(engine).findByText('0.7.3');
    expect(engine.textContent).toContain('Engine');
    expect(screen.getByTestId('status-connection').textContent).toContain('No connection');
  });

  it('shows a command error in place, with its hint', async () => {
    mockIPC(() => {
      throw { code: 'engine_unavailable', message: 'engine failed to start', hint: 'see the log file', detail: 'x' };
    });
    render(App);
    const engine = screen.getByTestId('status-engine');
    await within(engine).findByText(/engine failed to start/);
    expect(engine.textContent).toContain('see the log file');
    expect(engine.textContent).not.toContain('{');
  });

  it('shows the open connection: label, colour, target and read-only', async () => {
    mockIPC((cmd) => {
      if (cmd === 'app_info') return { name: 'IndexPilot', version: '0.1.0', engine_version: '0.1.0' };
      if (cmd === 'active_connection') {
        return { id: 'p', label: 'CRM production', colour: '#ef4444', read_only: true, target: 'dba@db:5432/crm', database: 'crm' };
      }
      if (cmd === 'connections_list') return [];
      throw { code: 'unknown_command', message: cmd };
    });
    render(App);
    const status = screen.getByTestId('status-connection');
    await within(status).findByText('CRM production');
    expect(status.textContent).toContain('dba@db:5432/crm');
    expect(status.textContent).toContain('read-only');
    expect((status.querySelector('.dot') as HTMLElement).style.background).toBe('rgb(239, 68, 68)');
  });

  it('says so when running as a browser preview', async () => {
    render(App);
    await within(screen.getByTestId('status-engine')).findByText('Engine: not connected (browser preview)');
  });
});

describe('navigation', () => {
  it('starts on Connections and lists every view in the sidebar', () => {
    render(App);
    expect(heading().textContent).toBe('Connections');
    const nav = screen.getByRole('navigation', { name: 'Views' });
    const labels = within(nav).getAllByRole('link').map((link) => link.querySelector('.label')?.textContent);
    expect(labels).toEqual(viewIds.map((id) => viewMeta[id].label));
  });

  it('switches views from the sidebar', async () => {
    render(App);
    const nav = screen.getByRole('navigation', { name: 'Views' });
    for (const id of viewIds) {
      await fireEvent.click(within(nav).getByRole('link', { name: new RegExp(viewMeta[id].label) }));
      await waitFor(() => expect(window.location.hash).toBe(`#/${id}`));
      await screen.findByRole('heading', { level: 1, name: viewMeta[id].label });
      const current = within(nav).getByRole('link', { current: 'page' });
      expect(current.getAttribute('data-view')).toBe(id);
    }
  });

  it('follows the hash, e.g. a deep link', async () => {
    window.location.hash = '#/workload';
    render(App);
    expect(heading().textContent).toBe('Workload');
    window.location.hash = '#/nonsense';
    await screen.findByRole('heading', { level: 1, name: 'Connections' });
  });

  it('switches views with Ctrl+1..8', async () => {
    render(App);
    await fireEvent.keyDown(window, { key: '5', code: 'Digit5', ctrlKey: true });
    expect(heading().textContent).toBe('Workload');
    await fireEvent.keyDown(window, { key: '2', code: 'Digit2', ctrlKey: true });
    expect(heading().textContent).toBe('Overview');
    await fireEvent.keyDown(window, { key: '8', code: 'Digit8', metaKey: true });
    expect(heading().textContent).toBe('Types');
  });
});

describe('keyboard', () => {
  it('opens the palette on "/", Ctrl+K and the top bar, and closes it on Escape', async () => {
    render(App);
    await fireEvent.keyDown(document.body, { key: '/' });
    const input = screen.getByRole('combobox', { name: 'Search or run a command' });
    expect(document.activeElement).toBe(input);
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
    await fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true });
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true });
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
    await fireEvent.click(screen.getByTestId('palette-button'));
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
  });

  it('jumps to a view typed in the palette', async () => {
    render(App);
    await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', ctrlKey: true });
    const input = screen.getByRole('combobox', { name: 'Search or run a command' });
    await fireEvent.input(input, { target: { value: 'advi' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(heading().textContent).toBe('Advisor');
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
  });

  it('opens and closes the shortcut help on "?"', async () => {
    render(App);
    await fireEvent.keyDown(document.body, { key: '?' });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('theme', () => {
  it('toggles data-theme and remembers the choice', async () => {
    render(App);
    const root = document.documentElement;
    expect(root.dataset.theme).toBe('light'); // jsdom has no matchMedia: falls back to light
    await fireEvent.click(screen.getByTestId('theme-toggle'));
    expect(root.dataset.theme).toBe('dark');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    await fireEvent.click(screen.getByTestId('theme-toggle'));
    expect(root.dataset.theme).toBe('light');
  });

  it('starts from the stored choice', () => {
    window.localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    render(App);
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});
