// The genome of the active connection: browse, curate, and sync with the live catalog.
import type { FieldRef, FlagEdit, GenomeBrowse, GenomeField, SyncPlan } from './bindings';
import { call } from './ipc';

export function genomeBrowse(): Promise<GenomeBrowse> {
  return call<GenomeBrowse>('genome_browse');
}

/** Applies one edit to every field listed, in one audited change; returns the fields as stored. */
export function genomeSetFlags(fields: FieldRef[], edit: FlagEdit, reason: string | null): Promise<GenomeField[]> {
  return call<GenomeField[]>('genome_set_flags', { fields, edit, reason });
}

/** Compares the live catalog with the genome; emits progress task "sync". Changes nothing. */
export function syncPlan(): Promise<SyncPlan> {
  return call<SyncPlan>('sync_plan');
}

/** Applies the differences and returns what was applied. */
/** Applies the reviewed plan; rejects with code `plan_changed` if the schema moved since. */
export function syncApply(fingerprint: string): Promise<SyncPlan> {
  return call<SyncPlan>('sync_apply', { fingerprint });
}
