// Calendar arithmetic on proleptic Gregorian dates without Date (exact for
// int64 seconds and nanoseconds; Date stops at ±8.64e15 ms).
// Algorithms from Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".

/** Days since 1970-01-01 of a civil date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day count since 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** `YYYY-MM-DD` of a day count. */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${y < 0 ? "-" + pad(-y, 4) : pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Ticks per second of each Arrow time unit (0 = s, 1 = ms, 2 = us, 3 = ns). */
export const TICKS = [1n, 1000n, 1000000n, 1000000000n] as const;
const DIGITS = [0, 3, 6, 9] as const;

/** `YYYY-MM-DD HH:MM:SS[.fff…]` of a timestamp in `unit` ticks since the epoch (pyarrow's CSV layout). */
export function formatTimestamp(ticks: bigint, unit: 0 | 1 | 2 | 3): string {
  const per = TICKS[unit];
  let secs = ticks / per;
  let frac = ticks % per;
  if (frac < 0n) {
    frac += per;
    secs -= 1n;
  }
  const days = Number(secs >= 0n ? secs / 86400n : (secs - 86399n) / 86400n);
  const sod = Number(secs - BigInt(days) * 86400n);
  const text = `${formatDate(days)} ${pad(Math.floor(sod / 3600))}:${pad(Math.floor(sod / 60) % 60)}:${pad(sod % 60)}`;
  return unit === 0 ? text : `${text}.${String(frac).padStart(DIGITS[unit], "0")}`;
}

/** A parsed ISO-8601 date or date-time as CSV readers see it. */
export interface ParsedTime {
  /** Nanoseconds since the epoch, in UTC when `zoned`. */
  nanos: bigint;
  hasFraction: boolean;
  /** The text had a time of day. */
  hasTime: boolean;
  /** The text had `Z` or an offset. */
  zoned: boolean;
}

const TIME = /^(-?\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parse `YYYY-MM-DD[( |T)HH:MM[:SS[.f…]][Z|±HH:MM]]`, or null. */
export function parseTime(text: string): ParsedTime | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, fs, zs] = m;
  const y = Number(ys), mo = Number(mos), d = Number(ds);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const days = daysFromCivil(y, mo, d);
  if (civilFromDays(days)[2] !== d) return null;
  const h = hs === undefined ? 0 : Number(hs), mi = mis === undefined ? 0 : Number(mis), s = ss === undefined ? 0 : Number(ss);
  if (h > 23 || mi > 59 || s > 59) return null;
  let offset = 0;
  if (zs !== undefined && zs !== "Z") {
    const sign = zs[0] === "-" ? -1 : 1;
    const digits = zs.slice(1).replace(":", "");
    offset = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  const secs = BigInt(days) * 86400n + BigInt(h * 3600 + mi * 60 + s - offset);
  const nanos = secs * 1000000000n + (fs === undefined ? 0n : BigInt(fs.padEnd(9, "0")));
  return { nanos, hasFraction: fs !== undefined, hasTime: hs !== undefined, zoned: zs !== undefined };
}
