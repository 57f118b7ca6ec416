import { describe, expect, it } from 'vitest';
import { applyChanges, cellMap, cellState, columnToggles, rowToggles } from '../../src/lib/tenants/matrix';
import { matrix } from './fixtures';

describe('expression matrix rules', () => {
  const m = matrix();
  const [region, stage] = m.fields as [(typeof m.fields)[0], (typeof m.fields)[0]];
  const cells = cellMap(m.cells);

  it('shows explicit settings over the field default', () => {
    expect(cellState(cells, '1', region)).toEqual({ enabled: true, explicit: true });
    expect(cellState(cells, '2', region)).toEqual({ enabled: false, explicit: false });
    expect(cellState(cells, '2', stage)).toEqual({ enabled: true, explicit: false });
  });

  it('builds row and column toggles with FieldRefs', () => {
    expect(rowToggles('2', m.fields, false)).toEqual([
      { tenant_id: '2', field: { schema: 'public', table: 'deals', column: 'region' }, enabled: false },
      { tenant_id: '2', field: { schema: 'public', table: 'deals', column: 'stage' }, enabled: false },
    ]);
    expect(columnToggles(stage, m.tenants, true).map((t) => t.tenant_id)).toEqual(['1', '2']);
  });

  it('makes every reported cell explicit with its new value', () => {
    const field = { schema: 'public', table: 'deals', column: 'stage' };
    const next = applyChanges(cells, [
      { tenant_id: '2', field, field_id: stage.id, before: true, after: false, changed: true, mutation_id: 11 },
      { tenant_id: '1', field, field_id: stage.id, before: true, after: true, changed: true, mutation_id: 12 },
    ]);
    expect(cellState(next, '2', stage)).toEqual({ enabled: false, explicit: true });
    expect(cellState(next, '1', stage)).toEqual({ enabled: true, explicit: true });
    expect(cellState(cells, '2', stage).explicit).toBe(false);
  });
});
