import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ConnectionOverview, Overview } from '../../src/lib/backend';
import { connection } from '../../src/lib/connection.svelte';
import { attentionItems, changeStates, sortRows } from '../../src/lib/overview/summary';
import OverviewView from '../../src/lib/overview/OverviewView.svelte';
import { activeOf, callsOf, mockBackend, savedConnection } from './fixtures';

const overview = (over: Partial<Overview> = {}): Overview => ({
  database: 'crm',
  server_version: '17.2',
  server_version_num: 170002,
  standby: false,
  hypopg: true,
  pg_qualstats: false,
  initialised: true,
  proposals: { creates: 3, drops: 1, estimated_saving: 125000, estimated_bytes: 3 * 1024 * 1024, newest: '2026-12-01T06:00:00Z' },
  changes: { approved: 1, failed: 2 },
  experiments: { due: 1, measuring: 2, latest: [{ experiment_id: 7, change_id: 12, verdict: 'improved' }] },
  health: { 'duplicate-index': { findings: 1, bytes: 8 * 1024 * 1024 }, 'unindexed-foreign-key': { findings: 2, bytes: 0 } },
  collector: { last_snapshot: '2026-12-01T06:00:00Z', age_seconds: 300 },
  statements: { entries: 4700, max: 5000, dealloc: 120 },
  ...over,
});

describe('the overview', () => {
  it('lists what waits for someone, most urgent first, each with the view that acts on it', () => {
    const items = attentionItems(overview());
    expect(items.map((i) => [i.key, i.view])).toEqual([
      ['changes-failed', 'timeline'],
      ['changes-approved', 'timeline'],
      ['proposals', 'advisor'],
      ['experiments', 'timeline'],
      ['health', 'workload'],
      ['statements', 'workload'],
    ]);
    expect(items[0]?.text).toBe('2 changes failed: retry or roll back');
    expect(items[2]?.text).toContain('4 proposals waiting for a decision');
    expect(items[4]?.text).toBe('3 index health findings (up to 8.0 MB to reclaim)');
    expect(items[5]?.text).toContain('evicted 120 statements');
    expect(changeStates(overview()).map(([s]) => s)).toEqual(['failed', 'approved']);
  });

  it('says when nothing waits, and when the collector is stale or IndexPilot is not set up', () => {
    const calm = overview({
      proposals: { creates: 0, drops: 0, estimated_saving: 0, estimated_bytes: 0 },
      changes: {},
      experiments: { due: 0, measuring: 0, latest: [] },
      health: {},
      statements: { entries: 10, max: 5000 },
    });
    expect(attentionItems(calm)).toEqual([]);
    const stale = attentionItems({ ...calm, collector: { age_seconds: 3 * 86400 } });
    expect(stale.map((i) => i.text)).toEqual(['Last workload snapshot 3 days ago.']);
    const bare = attentionItems({ ...calm, initialised: false, collector: {} });
    expect(bare.map((i) => [i.key, i.view])).toEqual([['init', 'connections']]);
  });

  it('shows the cards with links, refreshes, and draws a verdict chart on request', async () => {
    const calls = mockBackend({
      overview_get: () => overview(),
      experiment_chart: () => '<svg xmlns="http://www.w3.org/2000/svg"><text>Change 12: before and after</text></svg>',
    });
    connection.set(activeOf(savedConnection()));
    render(OverviewView);
    const attention = await screen.findByTestId('overview-attention');
    const links = within(attention).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      '#/timeline',
      '#/timeline',
      '#/advisor',
      '#/timeline',
      '#/workload',
      '#/workload',
    ]);
    expect(screen.getByTestId('overview-server').textContent).toContain('PostgreSQL 17.2');
    expect(screen.getByTestId('overview-server').textContent).toContain('pg_qualstats not installed');
    const proposals = screen.getByTestId('overview-proposals');
    expect(proposals.textContent).toContain('3 indexes to create (3.0 MB), 1 to drop');
    expect(within(proposals).getByRole('link').getAttribute('href')).toBe('#/advisor');
    expect(screen.getByTestId('overview-statements').textContent).toContain('4,700 of 5,000 entries (94%)');
    expect(screen.getByTestId('overview-health').textContent).toContain('1 duplicate-index · 8.0 MB to reclaim');

    await fireEvent.click(screen.getByRole('button', { name: 'Chart' }));
    const img = (await screen.findByTestId('overview-chart')) as HTMLImageElement;
    expect(decodeURIComponent(img.src)).toContain('Change 12: before and after');
    expect(callsOf(calls, 'experiment_chart')[0]?.args).toEqual({ experimentId: 7, theme: 'light' });

    await fireEvent.click(screen.getByTestId('overview-refresh'));
    await waitFor(() => expect(callsOf(calls, 'overview_get').length).toBe(2));
  });

  it('offers initialisation on a database IndexPilot does not know yet, and shows a failed read', async () => {
    mockBackend({ overview_get: () => overview({ initialised: false }) });
    connection.set(activeOf(savedConnection()));
    const { unmount } = render(OverviewView);
    const notice = await screen.findByTestId('overview-not-initialised');
    expect(within(notice).getByRole('link').getAttribute('href')).toBe('#/connections');
    unmount();

    mockBackend({
      overview_get: () => {
        throw { code: 'statement_timeout', message: 'the overview took longer than the statement timeout' };
      },
    });
    render(OverviewView);
    expect((await screen.findByRole('alert')).textContent).toContain('statement timeout');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('reads every saved database at once, unread ones first, and opens one from its row', async () => {
    const row = (id: string, label: string, read: Partial<ConnectionOverview['read']>): ConnectionOverview => ({
      id,
      label,
      colour: '#3b82f6',
      read_only: false,
      read: { target: `dba@${id}:5432/app`, state: 'read', attention: 0, ...read },
    });
    const rows = [
      row('quiet', 'Billing', { attention: 0, overview: overview({ changes: {}, health: {}, proposals: { creates: 0, drops: 0, estimated_saving: 0, estimated_bytes: 0 } }) }),
      row('busy', 'CRM', { attention: 9, overview: overview() }),
      row('gone', 'Archive', { state: 'timed_out', error: 'no answer from dba@gone:5432/app within 10 s' }),
    ];
    expect(sortRows(rows, 'attention').map((r) => r.id)).toEqual(['gone', 'busy', 'quiet']);
    expect(sortRows(rows, 'label').map((r) => r.id)).toEqual(['gone', 'quiet', 'busy']);
    expect(sortRows(rows, 'proposals').map((r) => r.id)).toEqual(['busy', 'quiet', 'gone']);

    const calls = mockBackend({
      overview_all: () => rows,
      overview_get: () => overview(),
      connection_open: () => activeOf(savedConnection({ id: 'busy', label: 'CRM' })),
    });
    connection.set(null);
    render(OverviewView);
    await fireEvent.click(screen.getByRole('tab', { name: 'All databases' }));
    const shown = await screen.findAllByTestId('overview-all-row');
    expect(shown.map((r) => r.dataset.id)).toEqual(['gone', 'busy', 'quiet']);
    expect(within(shown[0] as HTMLElement).getByTestId('overview-all-error').textContent).toContain('no answer from dba@gone');
    expect(within(shown[1] as HTMLElement).getByTestId('attention').textContent).toBe('9');
    await fireEvent.click(within(shown[1] as HTMLElement).getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(connection.active?.id).toBe('busy'));
    expect(callsOf(calls, 'connection_open')[0]?.args).toEqual({ id: 'busy', password: null });
    // Its own overview comes next.
    await screen.findByTestId('overview-proposals');
  });
});
