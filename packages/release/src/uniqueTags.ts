import { LazyscribeError } from "@lazyscribe/core/internal";
import type { Release } from "./Release.js";

/**
 * A release tag that is already taken. Tags are never reused: the one rule
 * behind `appendRelease` (which adds nothing then), `dump()` / `dumps()`
 * (which refuse a list with a repeated tag) and `lazyscribe release create`.
 *
 * @example
 * try { await dump([a, a], "releases.json"); }
 * catch (err) { if (isLazyscribeError(err, "DUPLICATE_TAG")) console.error(err.message); }
 */
export class DuplicateTagError extends LazyscribeError {
  override readonly code: string = "DUPLICATE_TAG";
  constructor(
    readonly tag: string,
    /** The release that already has the tag. */
    readonly existing: Release,
    where: string,
  ) {
    super(`release "${tag}" already exists${where ? ` in ${where}` : ""} (created ${existing.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z")}); tags are never reused`);
  }
}

/**
 * Throw {@link DuplicateTagError} when `releases` holds the tag of `release`.
 *
 * @example
 * assertNewTag(await load("releases.json"), "v1.0.0", "releases.json");
 */
export function assertNewTag(releases: readonly Release[], tag: string, where = ""): void {
  const existing = releases.find((r) => r.tag === tag);
  if (existing) throw new DuplicateTagError(tag, existing, where);
}

/** Throw {@link DuplicateTagError} at the first tag that `releases` repeats. */
export function assertUniqueTags(releases: readonly Release[], where = ""): void {
  const seen = new Map<string, Release>();
  for (const r of releases) {
    const first = seen.get(r.tag);
    if (first) throw new DuplicateTagError(r.tag, first, where);
    seen.set(r.tag, r);
  }
}
