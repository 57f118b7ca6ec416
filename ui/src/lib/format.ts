// Number and size formatting for dense tables. Estimates are prefixed with "~".

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en');

/** 1234 → "1,234". */
export function formatInt(value: number): string {
  return whole.format(value);
}

/** 1234567 → "1.2M"; small numbers stay exact. */
export function formatCount(value: number): string {
  return Math.abs(value) < 10_000 ? whole.format(Math.round(value)) : compact.format(value);
}

const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in binary steps with PostgreSQL's pg_size_pretty units: 8192 → "8 kB". */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit] ?? 'B'}`;
}

/** "~" before a value that is estimated rather than measured. */
export function approx(text: string, measured: boolean): string {
  return measured ? text : `~${text}`;
}

/** "1 field", "3 fields". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatInt(count)} ${count === 1 ? one : many}`;
}
