// The palette's data, read when it opens: saved connections always, and with a connection
// open its tables and fields, top statements, open proposals and change history. Each source
// is read on its own, so one that fails (say, no collector yet) leaves the others searchable.
import { adviceStored, connectionsList, genomeBrowse, timeline, toBackendError, workloadTop } from '../backend';
import type { PaletteData } from './items';

/** Top statements by total time: what a DBA looks for by name is among them. */
const STATEMENTS = 1000;

export interface Loaded {
  data: PaletteData;
  /** One line per source that could not be read. */
  failures: string[];
}

async function settle<T>(what: string, read: () => Promise<T>, empty: T, failures: string[]): Promise<T> {
  try {
    return await read();
  } catch (reason) {
    failures.push(`${what}: ${toBackendError(reason).message}`);
    return empty;
  }
}

export async function loadPaletteData(withConnection: boolean): Promise<Loaded> {
  const failures: string[] = [];
  const connections = settle('Connections', connectionsList, [], failures);
  if (!withConnection) return { data: { connections: await connections, tables: [], fields: [], statements: [], proposals: [], history: [] }, failures };
  const [list, genome, workload, proposals, history] = await Promise.all([
    connections,
    settle('Tables and fields', genomeBrowse, null, failures),
    settle('Statements', () => workloadTop(STATEMENTS), null, failures),
    settle('Proposals', adviceStored, [], failures),
    settle('Changes', () => timeline(null), [], failures),
  ]);
  return {
    data: {
      connections: list,
      tables: genome?.tables ?? [],
      fields: genome?.fields ?? [],
      statements: workload?.statements ?? [],
      proposals,
      history,
    },
    failures,
  };
}
