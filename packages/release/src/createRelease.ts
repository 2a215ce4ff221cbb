import { buildIndexes, isLazyscribeError, ReadOnlyError, resolveVersion } from "@lazyscribe/core/internal";
import type { Repository } from "@lazyscribe/core/internal";
import { z } from "zod";
import { readTime, type TimeInput } from "./clock.js";
import { parseInput } from "./input.js";
import { Release } from "./Release.js";

/**
 * Options of {@link createRelease}.
 *
 * @example
 * createRelease(repo, "v1", { now: new Date("2025-01-20T00:00:00Z") } satisfies CreateReleaseOptions);
 */
export interface CreateReleaseOptions {
  /**
   * When the release is cut: a `Date`, a time string, or a clock. Default: the
   * repository's clock (`repo.now()`). Each name gets its newest version that
   * is not expired at this time.
   */
  now?: TimeInput;
}

const OptionsSchema = z.object({
  now: z
    .union([z.date(), z.string(), z.custom<() => Date>((v) => typeof v === "function")], {
      error: "now must be a Date, a time string or a function returning a Date",
    })
    .optional(),
});

const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Cut a release: for every artifact name, the newest version (by creation
 * time, ties by version number) that is not expired at `now` — the same rule
 * as `repo.loadArtifact(name)` with no version. As in Python lazyscribe, all
 * versions count, including ones created after `now`; to release the state of
 * the repository as of a past time, cut it from `repo.filter(time)`.
 *
 * The repository must be read-only (`mode: "r"`) with nothing unsaved,
 * otherwise `ReadOnlyError` (code `READ_ONLY`).
 *
 * Difference from Python lazyscribe 2.2.1: a name whose every version is
 * expired at `now` is left out of the release; Python raises
 * `VersionNotFoundError` and creates no release at all.
 *
 * Artifacts are sorted by name; `createdAt` is `now` at second precision.
 *
 * @example
 * const repo = await Repository.open("repository.json", { mode: "r" });
 * const release = createRelease(repo, "v0.1.0");
 * const pinned = createRelease(repo.filter("2025-01-20T00:00:00"), "v0.1.0", { now: new Date("2025-01-20T00:00:00Z") });
 */
export function createRelease(repo: Repository, tag: string, options: CreateReleaseOptions = {}): Release {
  const opts = parseInput(OptionsSchema, options ?? {}, "createRelease() options");
  if (typeof repo !== "object" || repo === null || typeof repo.now !== "function" || !Array.isArray(repo.artifacts)) {
    throw new ReadOnlyError("createRelease() needs a Repository opened with { mode: \"r\" }");
  }
  const where = repo.location ? ` (${repo.location})` : "";
  if (repo.mode !== "r") {
    throw new ReadOnlyError(
      `createRelease() needs a read-only repository${where}: it is open with mode "${repo.mode}"; open it with { mode: "r" }`,
    );
  }
  if (repo.dirty) {
    throw new ReadOnlyError(
      `createRelease() needs a repository with nothing unsaved${where}: save() it and reopen it with { mode: "r" }`,
    );
  }
  const seconds = readTime(opts.now ?? (() => repo.now()), "release time");
  const artifacts: Array<[string, number]> = [];
  const indexes = buildIndexes(repo.artifacts);
  for (const name of [...indexes.keys()].sort(compareNames)) {
    try {
      artifacts.push([name, resolveVersion(indexes.get(name)!, {}, seconds).version]);
    } catch (err) {
      // Every version of this name is expired at `now`: leave it out.
      if (!isLazyscribeError(err, "VERSION_NOT_FOUND")) throw err;
    }
  }
  return new Release({ tag, artifacts, createdAt: new Date(seconds * 1000) });
}
