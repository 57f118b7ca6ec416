// The field table's columns, shared by its header and its rows so they always line up.
import type { SortKey } from './filter';

export interface Column {
  id: string;
  label: string;
  width: string;
  sort: SortKey | null;
  align?: 'center' | 'right';
  title?: string;
}

export const columns: readonly Column[] = [
  { id: 'select', label: '', width: '30px', sort: null, align: 'center' },
  { id: 'field', label: 'Field', width: 'minmax(110px, 1fr)', sort: 'field' },
  { id: 'table', label: 'Table', width: 'minmax(100px, 1fr)', sort: 'table' },
  { id: 'type', label: 'Type', width: '100px', sort: 'type' },
  { id: 'required', label: 'Null', width: '56px', sort: 'required' },
  { id: 'keys', label: 'Keys', width: '64px', sort: 'keys' },
  { id: 'indexes', label: 'Idx', width: '38px', sort: 'indexes', align: 'right', title: 'Existing indexes that use the field' },
  { id: 'indexable', label: 'Indexable', width: '70px', sort: 'indexable', align: 'center', title: 'May an index ever use this field' },
  { id: 'group', label: 'Group', width: '112px', sort: 'group', title: 'Feature group' },
  { id: 'default', label: 'Default', width: '58px', sort: 'default', align: 'center', title: 'Expressed by every tenant unless switched off' },
  { id: 'expressed', label: 'Tenants', width: '70px', sort: 'expressed', align: 'right', title: 'Tenants that switched the field on / off' },
]

export const gridTemplate = columns.map((column) => column.width).join(' ');

/** Wide enough that every column keeps its minimum; the table scrolls sideways below that. */
export const minTableWidth = '810px';

export const ROW_HEIGHT = 30;
