import { InvalidVersionError } from "./errors.js";

// `YYYY-MM-DDTHH:MM:SS` (Python's default isoformat without microseconds) is
// UTC. Full ISO 8601 with Z / offset / fractions is also accepted.
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const ZONED =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parse a time to whole epoch seconds (UTC), or `null` if it is not a time.
 * Fractions of a second are dropped: lazyscribe compares at second precision.
 */
export function parseEpochSeconds(text: string): number | null {
  // Fast path for the manifest's own format: fixed width, no regex.
  if (text.length === 19 && text.charCodeAt(10) === 84 /* T */) {
    const y = num4(text, 0), mo = num2(text, 5), d = num2(text, 8);
    const h = num2(text, 11), mi = num2(text, 14), s = num2(text, 17);
    if (
      y >= 0 && mo >= 1 && d >= 1 && h >= 0 && mi >= 0 && s >= 0 &&
      text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58
    ) {
      return checked(y, mo, d, h, mi, s, 0);
    }
  }
  let m = NAIVE.exec(text);
  if (m) return checked(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, 0);
  m = ZONED.exec(text);
  if (m) {
    const tz = m[8]!;
    let offset = 0;
    if (tz !== "Z" && tz !== "z") {
      const sign = tz[0] === "-" ? -1 : 1;
      const digits = tz.slice(1).replace(":", "");
      offset = sign * (+digits.slice(0, 2) * 3600 + +digits.slice(2, 4) * 60);
    }
    return checked(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, offset);
  }
  return null;
}

function checked(y: number, mo: number, d: number, h: number, mi: number, s: number, offset: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  // Reject dates like 2025-02-30 that Date.UTC would silently roll over.
  if (d > daysInMonth(y, mo)) return null;
  // Date.UTC reads years 0..99 as 1900..1999: compute them 400 years later
  // (the Gregorian calendar repeats every 146,097 days) and move back.
  if (y < 100) return Date.UTC(y + 400, mo - 1, d, h, mi, s) / 1000 - GREGORIAN_CYCLE_SECONDS - offset;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - offset;
}

const GREGORIAN_CYCLE_SECONDS = 146_097 * 86_400;

/** 0001-01-01T00:00:00 and 9999-12-31T23:59:59 UTC: the range of Python's `datetime`. */
export const MIN_EPOCH_SECONDS = -62_135_596_800;
export const MAX_EPOCH_SECONDS = 253_402_300_799;

/** Refuse a time Python's `datetime` cannot hold (years 1..9999), which would make the manifest unreadable there. */
function assertPythonRange(seconds: number, shown: string, what: string): number {
  if (seconds < MIN_EPOCH_SECONDS || seconds > MAX_EPOCH_SECONDS) {
    throw new InvalidVersionError(
      `${shown} is not a valid ${what}: times must lie between 0001-01-01T00:00:00 and 9999-12-31T23:59:59 (UTC), the range Python lazyscribe can read`,
    );
  }
  return seconds;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function num2(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48, b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}
function num4(t: string, i: number): number {
  const a = num2(t, i), b = num2(t, i + 2);
  return a >= 0 && b >= 0 ? a * 100 + b : -1;
}

/** Whole epoch seconds of a `Date` (second precision, floor). */
export function dateToEpochSeconds(date: Date, what = "time"): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new InvalidVersionError("invalid Date (NaN time value)");
  const seconds = Math.floor(ms / 1000);
  return assertPythonRange(seconds, ms >= -8.64e15 && ms <= 8.64e15 ? date.toISOString() : String(ms), what);
}

/**
 * Turn a user-supplied time (Date or string) into epoch seconds, or throw
 * {@link InvalidVersionError} naming the value.
 */
export function toEpochSeconds(value: Date | string, what = "time"): number {
  if (value instanceof Date) return dateToEpochSeconds(value, what);
  if (typeof value === "string") {
    const s = parseEpochSeconds(pythonIsoForm(value.trim()));
    if (s !== null) return assertPythonRange(s, JSON.stringify(value), what);
  }
  throw new InvalidVersionError(
    `${JSON.stringify(String(value))} is not a valid ${what}: use an integer version, a Date, or a time like "2025-01-05T08:30:00" (UTC) or ISO 8601 with an offset`,
  );
}

// What Python's `datetime.fromisoformat` also takes from a user: a space for
// the `T`, and minutes without seconds ("2025-01-01 10:00").
const USER_FORM = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Rewrite a user's `YYYY-MM-DD HH:MM[:SS]` into the `T` form the parser reads (other text unchanged). */
function pythonIsoForm(text: string): string {
  const m = USER_FORM.exec(text);
  return m ? `${m[1]}T${m[2]}${m[3] ?? ":00"}${m[4] ?? ""}` : text;
}

/** Format epoch seconds as `YYYY-MM-DDTHH:MM:SS` (UTC, no offset) — the on-disk format. */
export function formatEpochSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

/** `YYYYMMDDHHMMSS` — the stamp used in default file names and slugs. */
export function compactStamp(seconds: number): string {
  return formatEpochSeconds(seconds).replace(/[-:T]/g, "");
}

/** Format a Date in the on-disk format. */
export function formatTime(date: Date): string {
  return formatEpochSeconds(dateToEpochSeconds(date));
}

/** Parse any accepted time string into a Date (second precision). */
export function parseTime(text: string): Date {
  return new Date(toEpochSeconds(text) * 1000);
}
