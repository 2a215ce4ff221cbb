/**
 * Validation of option and argument values (zod). A bad value becomes a
 * commander `InvalidArgumentError`, which the CLI reports as a usage error
 * (exit 2).
 */
import { InvalidArgumentError } from "commander";
import { z } from "zod";
import { UsageError } from "./errors.js";

// A space may stand for the `T` and the seconds may be left out, as Python's `datetime.fromisoformat` allows.
const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** True when the calendar date and clock fields are real (no 2025-02-30, no 25:00). */
function realTime(m: RegExpExecArray): boolean {
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? undefined : Number(v))) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || h > 23 || mi > 59 || s > 59) return false;
  const date = new Date(Date.UTC(y!, mo! - 1, d!));
  if (date.getUTCDate() !== d) return false;
  const tz = m[8];
  if (tz && tz.toUpperCase() !== "Z") {
    const digits = tz.slice(1).replace(":", "");
    if (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2)) > 59) return false;
  }
  return true;
}

const TIME_HINT = "use a time like 2025-01-05T08:30:00 or 2025-01-05 08:30 (UTC), 2025-01-05, or ISO 8601 with Z or an offset";

/**
 * A point in time: `YYYY-MM-DDTHH:MM:SS` (UTC), ISO 8601 with `Z` / an offset /
 * fractions, or a bare date `YYYY-MM-DD` (midnight UTC). Kept as a string the
 * library parses.
 */
export const TimeArgSchema = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const m = TIME.exec(s);
    if (!m || !realTime(m)) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a valid time: ${TIME_HINT}` });
      return z.NEVER;
    }
    // One spelling for the library: `YYYY-MM-DDTHH:MM:SS[.fff][zone]`.
    return `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? "00"}:${m[5] ?? "00"}:${m[6] ?? "00"}${m[7] ?? ""}${m[8] ?? ""}`;
  });

/** A version: all digits → integer version, anything else must be a time. */
export const VersionArgSchema = z
  .string()
  .trim()
  .transform((s, ctx): number | string => {
    if (/^\d+$/.test(s)) {
      const n = Number(s);
      if (!Number.isSafeInteger(n)) {
        ctx.addIssue({ code: "custom", message: `version ${s} is too large` });
        return z.NEVER;
      }
      return n;
    }
    const t = TimeArgSchema.safeParse(s);
    if (!t.success) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a version: use an integer version (0, 1, ...) or ${TIME_HINT.replace(/^use /, "")}` });
      return z.NEVER;
    }
    return t.data;
  });

/** Whole seconds, >= 0 (`gc --grace`). */
export const SecondsArgSchema = z
  .string()
  .trim()
  .regex(/^\d+$/, "expected a whole number of seconds")
  .transform((s) => Number(s));

/** A non-empty word such as a handler alias or a release tag. */
export const NonEmptyArgSchema = z.string().refine((s) => s.trim().length > 0, "must not be empty");

/** A commander argument/option parser from a zod schema. */
export function zodParser<T>(schema: z.ZodType<T, string>): (value: string) => T {
  return (value: string) => {
    const r = schema.safeParse(value);
    if (!r.success) throw new InvalidArgumentError(r.error.issues[0]?.message ?? "invalid value");
    return r.data;
  };
}

export const parseVersion = zodParser(VersionArgSchema);
export const parseTime = zodParser(TimeArgSchema);
export const parseSeconds = zodParser(SecondsArgSchema);
export const parseNonEmpty = zodParser(NonEmptyArgSchema);

/**
 * The library query for `--version` / `--asof`: `--asof` needs a time
 * version (an integer with `--asof`, or `--asof` alone, is a usage error).
 */
export function versionQuery(version: number | string | undefined, asof: boolean | undefined): { version?: number | string; match?: "exact" | "asof" } {
  if (asof) {
    if (version === undefined) throw new UsageError("--asof needs --version <time>: the newest version as of that time");
    if (typeof version === "number") throw new UsageError(`--asof needs a time, not the integer version ${version}`);
    return { version, match: "asof" };
  }
  return version === undefined ? {} : { version, match: "exact" };
}
