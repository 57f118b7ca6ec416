// Uses the generated TypeScript row types as a host application would; `tsc --strict` must
// accept every line.
import type { AwkwardNamesRow, EverythingInsert, EverythingRow, OrderStatus, TypegenMood } from "./golden/rows";

export const newRow: EverythingInsert = {
  small: 1,
  name: "widget",
  mood: "it's \"complicated\"",
  amount: "12.50",
  big: "9007199254740993",
  data: { nested: [1, 2.5, "x", null, { deep: true }] },
};

export function describe(row: EverythingRow): string {
  const mood: TypegenMood = row.mood;
  const tags: string[] = row.tags;
  const regular: number = row.regular ?? 0;
  return `${row.name} ${mood} ${tags.join(",")} ${regular} ${row.created_at}`;
}

export function statusOf(row: AwkwardNamesRow): OrderStatus | null {
  return row["with space"] > 0 ? row.status : null;
}
