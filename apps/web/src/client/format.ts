/** Display helpers. */

/** `2025-05-06T00:00:00Z` (seconds precision, UTC). */
export function isoSeconds(t: number | string | Date): string {
  const d = typeof t === "number" ? new Date(t * 1000) : new Date(t);
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** `2025-05-06 14:00` (UTC) for tables. */
export function shortTime(t: string | number): string {
  const d = typeof t === "number" ? new Date(t * 1000) : new Date(t);
  return d.toISOString().slice(0, 16).replace("T", " ");
}

export function humanSize(n: number | null): string {
  if (n === null) return "-";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** A cell value: numbers as they are, other values as compact JSON. */
export function cell(v: unknown): string {
  if (v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** Nice tick times (epoch seconds) between `t0` and `t1`, about `count` of them. */
export function ticks(t0: number, t1: number, count: number): number[] {
  const span = Math.max(1, t1 - t0);
  const steps = [60, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400, 91 * 86400, 365 * 86400, 5 * 365 * 86400];
  const step = steps.find((s) => span / s <= count) ?? steps[steps.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) out.push(t);
  return out;
}

/** Tick label fitting the step. */
export function tickLabel(t: number, span: number): string {
  const iso = new Date(t * 1000).toISOString();
  if (span > 2 * 365 * 86400) return iso.slice(0, 7);
  if (span > 3 * 86400) return iso.slice(0, 10);
  return iso.slice(5, 16).replace("T", " ");
}
