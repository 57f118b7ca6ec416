// Whether "Initialise" applies to what Test reported.
import type { ConnectionReport } from '../backend';

/**
 * Not initialised, or initialised by an older app (Initialise then upgrades it). Present with
 * an unreadable version is a permission question, not one Initialise can answer.
 */
export function needsInit(report: ConnectionReport): boolean {
  if (!report.metadata_present) return true;
  return report.metadata_version !== null && report.metadata_version < report.latest_metadata_version;
}
