import { InvalidVersionError, VersionNotFoundError } from "../errors.js";
import type { ArtifactRecord } from "../repository/ArtifactRecord.js";
import { formatEpochSeconds, toEpochSeconds } from "../time.js";
import type { VersionIndex } from "./VersionIndex.js";

/** An integer version, or a point in time (Date or time string). */
export type VersionSpec = number | Date | string;
/** `exact`: that version / that creation second. `asof`: newest valid at that time. */
export type Match = "exact" | "asof";

/**
 * Pick one version of a name (SPEC 3.1):
 * - no version: newest (by creation time, then version) not expired at `now`;
 * - integer + exact: that version, expiry ignored (asof → InvalidVersionError);
 * - time + exact: created at that second, expiry ignored, lowest version on ties;
 * - time + asof: newest created at or before T and valid at T.
 *
 * @example
 * resolveVersion(index, { version: "2025-01-07T00:00:00", match: "asof" }, nowSeconds);
 */
export function resolveVersion(
  index: VersionIndex,
  query: { version?: VersionSpec | undefined; match?: Match | undefined },
  nowSeconds: number,
): ArtifactRecord {
  const { version } = query;
  const match = parseMatch(query.match);
  const name = index.name;
  if (version === undefined || version === null) {
    return newestValidBefore(index, index.byTime.length, nowSeconds) ??
      fail(`every version of "${name}" is expired at ${formatEpochSeconds(nowSeconds)}; load an exact version or an asof time instead`);
  }
  if (typeof version === "number") {
    if (match === "asof") {
      throw new InvalidVersionError(`match "asof" needs a time, not the integer version ${version} of "${name}"`);
    }
    if (!Number.isInteger(version) || version < 0) {
      throw new InvalidVersionError(`version ${version} of "${name}" is not a non-negative integer`);
    }
    return index.byVersion.get(version) ??
      fail(`"${name}" has no version ${version} (versions 0..${index.maxVersion} exist)`);
  }
  if (typeof version !== "string" && !(version instanceof Date)) {
    throw new InvalidVersionError(`version of "${name}" must be an integer, a Date or a time string, not ${typeof version}`);
  }
  const t = toEpochSeconds(version, "version");
  if (match === "exact") {
    const i = index.lowerBound(t);
    const r = index.byTime[i];
    if (r && r.createdSeconds === t) return r;
    return fail(`"${name}" has no version created at exactly ${formatEpochSeconds(t)}; use match "asof" for the newest version before it`);
  }
  return newestValidBefore(index, index.upperBound(t), t) ??
    fail(`"${name}" has no version created by ${formatEpochSeconds(t)} that is still valid then`);
}

/** Newest record among `byTime[0..end)` valid at `t`. */
function newestValidBefore(index: VersionIndex, end: number, t: number): ArtifactRecord | undefined {
  for (let i = end - 1; i >= 0; i--) {
    const r = index.byTime[i]!;
    if (r.isValidAt(t)) return r;
  }
  return undefined;
}

export function parseMatch(match: unknown): Match {
  if (match === undefined || match === null || match === "exact") return "exact";
  if (match === "asof") return "asof";
  throw new InvalidVersionError(`match must be "exact" or "asof", not ${JSON.stringify(match)}`);
}

function fail(message: string): never {
  throw new VersionNotFoundError(message);
}
