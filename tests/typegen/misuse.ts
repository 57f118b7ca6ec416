// Each marked line is a mistake the generated TypeScript types must catch: `tsc --strict`
// reports exactly one error per `// error` line.
import type { EverythingInsert, EverythingRow } from "./golden/rows";

export const missingRequired: EverythingInsert = { small: 1, name: "x", mood: "happy" }; // error
export const badLabel: EverythingInsert = { small: 1, name: "x", mood: "sad", amount: "1" }; // error
export const generatedColumn: EverythingInsert = { small: 1, name: "x", mood: "happy", amount: "1", total: "2" }; // error

export function nullableUnchecked(row: EverythingRow): number {
  return row.regular; // error
}

export function wrongType(row: EverythingRow): string {
  return row.small; // error
}
