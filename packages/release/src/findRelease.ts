import {
  dateToEpochSeconds,
  formatEpochSeconds,
  InvalidVersionError,
  parseEpochSeconds,
  parseMatch,
  VersionNotFoundError,
  type Match,
} from "@lazyscribe/core/internal";
import { parseInput } from "./input.js";
import { ReleaseListSchema, type Release } from "./Release.js";

/**
 * Options of {@link findRelease}.
 *
 * @example
 * findRelease(releases, new Date(), { match: "asof" } satisfies FindReleaseOptions);
 */
export interface FindReleaseOptions {
  /** `exact` (default): that tag or that creation second. `asof`: the newest release created at or before a time. */
  match?: Match;
}

/**
 * Find a release by tag or by creation time.
 *
 * - no `version`: the latest release (by `createdAt`; among equal times, the
 *   one listed last);
 * - a string equal to some release's tag (with `match: "exact"`): the first
 *   release (by `createdAt`) with that tag;
 * - a `Date`, or a string that is a time (`YYYY-MM-DDTHH:MM:SS` UTC or ISO
 *   8601, as `parseEpochSeconds` accepts) and is not a tag: with `exact`, the
 *   release created at that second; with `asof`, the newest release created at
 *   or before it (`VersionNotFoundError` if it predates every release);
 * - `match: "asof"` with a string that is not a time → `InvalidVersionError`
 *   (a tag cannot be matched "as of"). With `asof`, a string that is a time is
 *   always a time, even if a release happens to have it as its tag.
 *
 * Nothing found → `VersionNotFoundError`. Python lazyscribe treats every
 * string as a tag; this function also accepts time strings, and a tag that
 * looks like a time still matches by tag first.
 *
 * @example
 * const releases = await load("releases.json");
 * findRelease(releases, "v0.1.0").artifacts;
 * findRelease(releases, "2025-02-15T00:00:00", { match: "asof" }).tag;
 * findRelease(releases).tag; // the latest
 */
export function findRelease(
  releases: readonly Release[],
  version?: string | Date | null,
  options: FindReleaseOptions = {},
): Release {
  const list = parseInput(ReleaseListSchema, releases, "findRelease() releases");
  const match = parseMatch((options ?? {}).match);
  // A tag cannot be matched "as of": refused whatever the list holds (even when empty).
  if (match === "asof" && typeof version === "string" && parseEpochSeconds(version.trim()) === null) {
    throw new InvalidVersionError(
      `cannot match the tag ${JSON.stringify(version)} "asof": give a Date or a time such as "2025-01-20T00:00:00" for an asof match`,
    );
  }
  if (list.length === 0) throw new VersionNotFoundError("there are no releases to search");
  // Stable sort: among equal times, file order is kept.
  const sorted = list.map((r, i) => ({ r, i, t: seconds(r) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const latest = sorted[sorted.length - 1]!.r;
  if (version === undefined || version === null) return latest;

  let t: number;
  if (typeof version === "string") {
    if (match === "exact") {
      const byTag = sorted.find((x) => x.r.tag === version);
      if (byTag) return byTag.r;
    }
    const parsed = parseEpochSeconds(version.trim());
    if (parsed === null) {
      if (match === "asof") {
        throw new InvalidVersionError(
          `cannot match the tag ${JSON.stringify(version)} "asof": give a Date or a time such as "2025-01-20T00:00:00" for an asof match`,
        );
      }
      throw new VersionNotFoundError(`no release is tagged ${JSON.stringify(version)} (tags: ${tagList(sorted.map((x) => x.r))})`);
    }
    t = parsed;
  } else if (version instanceof Date) {
    t = dateToEpochSeconds(version);
  } else {
    throw new InvalidVersionError(`a release version must be a tag, a Date or a time string, not ${typeof version}`);
  }

  if (match === "exact") {
    const hit = sorted.find((x) => x.t === t);
    if (hit) return hit.r;
    throw new VersionNotFoundError(
      `no release was created at exactly ${formatEpochSeconds(t)}` +
        (typeof version === "string" ? ` and none is tagged ${JSON.stringify(version)}` : "") +
        `; use { match: "asof" } for the newest release before it`,
    );
  }
  let found: Release | undefined;
  for (const x of sorted) {
    if (x.t <= t) found = x.r;
    else break;
  }
  if (!found) {
    const first = sorted[0]!.r;
    throw new VersionNotFoundError(
      `${formatEpochSeconds(t)} predates the earliest release "${first.tag}" (${formatEpochSeconds(seconds(first))})`,
    );
  }
  return found;
}

function seconds(r: Release): number {
  return dateToEpochSeconds(r.createdAt);
}

function tagList(releases: readonly Release[]): string {
  const tags = releases.map((r) => r.tag);
  return tags.length > 10 ? `${tags.slice(0, 10).join(", ")}, ...` : tags.join(", ");
}
