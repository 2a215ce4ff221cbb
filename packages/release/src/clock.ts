import { LazyscribeError, toEpochSeconds } from "@lazyscribe/core/internal";

/**
 * A point in time, or a clock to read it from.
 *
 * @example
 * createRelease(repo, "v1", { now: "2025-01-20T00:00:00" satisfies TimeInput });
 */
export type TimeInput = Date | string | (() => Date);

/**
 * Read a {@link TimeInput} once, as whole epoch seconds (UTC). Invalid times
 * throw `InvalidVersionError`; a clock that returns something else throws
 * `LazyscribeError`.
 *
 * @example
 * readTime(() => new Date("2025-02-20T00:00:00Z")); // 1740009600
 */
export function readTime(value: TimeInput, what = "time"): number {
  if (typeof value === "function") {
    const d = value();
    if (!(d instanceof Date)) throw new LazyscribeError(`the ${what} clock must return a Date`);
    return toEpochSeconds(d, what);
  }
  return toEpochSeconds(value, what);
}
