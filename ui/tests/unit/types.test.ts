import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { TableChoice, TypesRequest } from '../../src/lib/backend';
import { connection } from '../../src/lib/connection.svelte';
import { buildRequest, groupBySchema, matchTable } from '../../src/lib/types/selection';
import TypesView from '../../src/lib/types/TypesView.svelte';
import { activeOf, callsOf, mockBackend, savedConnection } from './fixtures';

const table = (schema: string, name: string, kind = 'table'): TableChoice => ({ schema, name, kind });
const tables = [table('crm', 'contacts'), table('crm', 'deals'), table('crm', 'pipeline', 'view'), table('public', 'users')];

describe('the request for a selection', () => {
  it('sends no table list when every table of the chosen schemas is selected', () => {
    const all = new Set(['crm.contacts', 'crm.deals', 'crm.pipeline']);
    expect(buildRequest('rust', tables, all)).toEqual({ lang: 'rust', schemas: ['crm'], tables: [] });
  });

  it('names the tables when only some are selected, with their schemas', () => {
    const some = new Set(['crm.deals', 'public.users']);
    expect(buildRequest('python', tables, some)).toEqual({
      lang: 'python',
      schemas: ['crm', 'public'],
      tables: ['crm.deals', 'public.users'],
    });
  });

  it('is null when nothing is selected (an empty list would mean every table)', () => {
    expect(buildRequest('typescript', tables, new Set())).toBeNull();
  });

  it('groups by schema and filters on schema.name', () => {
    expect(groupBySchema(tables).map((g) => [g.schema, g.tables.length])).toEqual([
      ['crm', 3],
      ['public', 1],
    ]);
    expect(tables.filter((t) => matchTable(t, 'CRM.DE')).map((t) => t.name)).toEqual(['deals']);
    expect(tables.filter((t) => matchTable(t, '  ')).length).toBe(4);
  });
});

/** types_generate as the engine answers it, echoing the request so the test can see it. */
const generated = (args: Record<string, unknown>) => {
  const request = args.request as TypesRequest;
  return {
    lang: request.lang,
    text: `// ${request.lang}: ${request.schemas.join(',')} [${request.tables.join(',')}]\n`,
    suggested_file_name: `rows.${request.lang === 'python' ? 'py' : request.lang === 'rust' ? 'rs' : 'ts'}`,
    tables: 3,
  };
};

function setup(handlers: Parameters<typeof mockBackend>[0] = {}) {
  const calls = mockBackend({
    types_tables: (args) => (args.includeMetadata ? [...tables, table('indexpilot', 'mutation_log')] : tables),
    types_generate: generated,
    types_save: () => '/home/dba/app/rows.py',
    ...handlers,
  });
  connection.set(activeOf(savedConnection()));
  render(TypesView);
  return calls;
}

const preview = () => screen.findByTestId('types-preview');

describe('the Types view', () => {
  it('previews every table in Python, then follows the language and the selection', async () => {
    const calls = setup();
    expect((await preview()).textContent).toBe('// python: crm,public []\n');

    await fireEvent.click(screen.getByRole('radio', { name: 'Rust' }));
    await waitFor(async () => expect((await preview()).textContent).toBe('// rust: crm,public []\n'));

    await fireEvent.click(screen.getByRole('checkbox', { name: /users/ }));
    await waitFor(async () => expect((await preview()).textContent).toBe('// rust: crm []\n'));

    await fireEvent.click(screen.getByRole('checkbox', { name: /deals/ }));
    await waitFor(async () =>
      expect((await preview()).textContent).toBe('// rust: crm [crm.contacts,crm.pipeline]\n'),
    );
    const generations = callsOf(calls, 'types_generate');
    const last = generations[generations.length - 1]?.args.request as TypesRequest;
    expect(last).toEqual({ lang: 'rust', schemas: ['crm'], tables: ['crm.contacts', 'crm.pipeline'] });
  });

  it('asks for nothing when no table is selected', async () => {
    const calls = setup();
    await preview();
    const before = callsOf(calls, 'types_generate').length;
    await fireEvent.click(screen.getByRole('button', { name: 'None' }));
    await screen.findByText('Pick at least one table.');
    expect(screen.queryByTestId('types-preview')).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect(callsOf(calls, 'types_generate').length).toBe(before);
  });

  it("lists IndexPilot's metadata tables only when asked", async () => {
    const calls = setup();
    await preview();
    expect(screen.queryByText('mutation_log')).toBeNull();
    await fireEvent.click(screen.getByRole('switch', { name: "Include IndexPilot's metadata tables" }));
    await screen.findByText('mutation_log');
    expect(callsOf(calls, 'types_tables').map((c) => c.args.includeMetadata)).toEqual([false, true]);
  });

  it('saves through the backend (the system dialog asks where) and says where it went', async () => {
    const calls = setup();
    await preview();
    await fireEvent.click(screen.getByRole('button', { name: 'Save…' }));
    expect((await screen.findByTestId('types-notice')).textContent).toContain('Saved to /home/dba/app/rows.py');
    expect(callsOf(calls, 'types_save')[0]?.args).toEqual({
      request: { lang: 'python', schemas: ['crm', 'public'], tables: [] },
    });
  });

  it('copies the preview to the clipboard', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    setup();
    await preview();
    await fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect((await screen.findByTestId('types-notice')).textContent).toContain('Copied 1 line to');
    expect(writeText).toHaveBeenCalledWith('// python: crm,public []\n');
  });

  it('shows a backend error in place of the preview', async () => {
    setup({
      types_generate: () => {
        throw { code: 'not_found', message: 'table not found: crm.deals', hint: null };
      },
    });
    expect(await screen.findByText(/table not found: crm.deals/)).toBeTruthy();
  });
});
