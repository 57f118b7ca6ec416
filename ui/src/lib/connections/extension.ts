// How an extension's state reads in the test report, with what to do about it.
import type { ExtensionState } from '../backend';

export type Tone = 'ok' | 'warn' | 'danger';

export interface ExtensionLine {
  tone: Tone;
  text: string;
  /** What to do, in words. */
  advice: string | null;
  /** What to run, when it is one statement. */
  sql: string | null;
}

/**
 * @param needsPreload pg_stat_statements only collects when in shared_preload_libraries;
 * HypoPG works without preloading.
 */
export function describeExtension(name: string, state: ExtensionState, needsPreload: boolean): ExtensionLine {
  const version = state.version ? ` ${state.version}` : '';
  // null: this role may not read shared_preload_libraries (needs pg_read_all_settings).
  const unknownPreload = needsPreload && state.preloaded === null;
  if (state.installed) {
    if (unknownPreload) {
      return {
        tone: 'warn',
        text: `installed${version} · preload unknown`,
        advice: `This role may not read shared_preload_libraries (pg_read_all_settings); ${name} collects only when preloaded.`,
        sql: null,
      };
    }
    if (needsPreload && !state.preloaded) {
      return {
        tone: 'warn',
        text: `installed${version}, not preloaded`,
        advice: `Add ${name} to shared_preload_libraries and restart the server.`,
        sql: null,
      };
    }
    return { tone: 'ok', text: `installed${version}${needsPreload ? ' · preloaded' : ''}`, advice: null, sql: null };
  }
  if (state.available) {
    const preload = !needsPreload ? '' : state.preloaded === null ? '' : state.preloaded ? ' · preloaded' : ' · not preloaded';
    return { tone: 'warn', text: `available, not installed${preload}`, advice: null, sql: `CREATE EXTENSION ${name};` };
  }
  return { tone: 'danger', text: 'not available on this server', advice: `Install the ${name} package on the server.`, sql: null };
}
