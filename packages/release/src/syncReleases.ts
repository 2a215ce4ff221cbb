import {
  dirnameKey,
  dirnameLocation,
  joinLocation,
  joinKey,
  Repository,
  StorageNotFoundError,
  type RetryOptions,
  type StorageBackend,
} from "@lazyscribe/core/internal";
import { z } from "zod";
import { appendReleaseAt, RetrySchema } from "./appendRelease.js";
import { readTime, type TimeInput } from "./clock.js";
import { createRelease } from "./createRelease.js";
import { formatTag } from "./formatTag.js";
import { parseInput } from "./input.js";
import type { Release } from "./Release.js";
import { LazyscribeSettingsSchema, type ReleaseConfig } from "./releaseConfig.js";
import { readReleasesSnapshot } from "./releasesFile.js";
import { StorageSchema } from "./storageOption.js";

/**
 * Options of `releaseFromToml`, `releaseFromPackageJson` and {@link syncReleases}.
 *
 * @example
 * await releaseFromToml(text, { cwd: "/work/project", now: new Date(), onWarning: (m) => log.warn(m) } satisfies ReleaseFromConfigOptions);
 */
export interface ReleaseFromConfigOptions {
  /**
   * The config file's folder: repository paths are relative to it. A path,
   * `file://` URL or `memory://` location (default `"."`, the working
   * directory for local files); with `storage`, a folder key inside it.
   */
  cwd?: string;
  /** Release time (a `Date`, time string or clock), read once for every repository. Default: now. */
  now?: TimeInput;
  /** Storage backend for every repository; default chosen from each location (local files, `memory://`). */
  storage?: StorageBackend;
  /** Called with a message when a tag is already released (default `console.warn`). */
  onWarning?: (message: string) => void;
  /** The config file's name in messages (default `pyproject.toml` / `package.json`). */
  file?: string;
  /** Bounds of the compare-and-swap loop per `releases.json`. */
  retry?: RetryOptions;
}

/**
 * What happened for one listed repository.
 *
 * @example
 * for (const r of await releaseFromToml(text) satisfies ReleaseSyncResult[]) console.log(r.releasesFile, r.tag, r.created);
 */
export interface ReleaseSyncResult {
  /** The repository manifest's location (the listed path joined to `cwd`). */
  repository: string;
  /** The location of the `releases.json` beside it. */
  releasesFile: string;
  /** The release tag. */
  tag: string;
  /** `false` when the tag was already released there (nothing written; a warning was given). */
  created: boolean;
  /** The release now in the file under `tag` (the earlier one when `created` is false). */
  release: Release;
}

const OptionsSchema = z.object({
  cwd: z.string().min(1, "cwd must not be empty").default("."),
  now: z
    .union([z.date(), z.string(), z.custom<() => Date>((v) => typeof v === "function")], {
      error: "now must be a Date, a time string or a function returning a Date",
    })
    .optional(),
  storage: StorageSchema.optional(),
  onWarning: z.custom<(message: string) => void>((v) => typeof v === "function", "onWarning must be a function").optional(),
  file: z.string().optional(),
  retry: RetrySchema,
});

const ConfigSchema = z.object({
  file: z.string().min(1),
  version: z.string().min(1),
  format: z.string(),
  repositories: LazyscribeSettingsSchema.shape.repositories,
});

interface Plan {
  repository: string;
  releasesFile: string;
  storage: StorageBackend;
  releasesKey: string;
  release: Release;
}

/**
 * Cut a release of every repository in a {@link ReleaseConfig} and append it
 * to the `releases.json` beside each manifest. Two phases:
 *
 * 1. check everything, writing nothing: each repository exists
 *    (`StorageNotFoundError` otherwise) and opens read-only (its manifest is
 *    valid), the release is cut at `now`, and each existing `releases.json`
 *    parses (`ManifestError` otherwise);
 * 2. append each release with compare-and-swap; a tag already present is
 *    skipped with a warning and reported `created: false`.
 *
 * Each file is replaced atomically, but the files are separate: if a writer
 * corrupts or locks a `releases.json` between the phases, files earlier in
 * the list keep their new release.
 *
 * @example
 * const config = parseTomlReleaseConfig(text);
 * const results = await syncReleases(config, { cwd: "/work/project", now: new Date() });
 */
export async function syncReleases(config: ReleaseConfig, options: ReleaseFromConfigOptions = {}): Promise<ReleaseSyncResult[]> {
  const opts = parseInput(OptionsSchema, options ?? {}, "release options");
  const cfg = parseInput(ConfigSchema, config, "release config");
  const warn = opts.onWarning ?? ((message: string) => console.warn(message));
  const seconds = readTime(opts.now ?? (() => new Date()), "release time");
  const createdAt = new Date(seconds * 1000);
  const tag = formatTag(cfg.format, { version: cfg.version, createdAt });

  // Phase 1: validate everything; nothing is written.
  const plans: Plan[] = [];
  for (const listed of cfg.repositories) {
    const repository = joinLocation(opts.cwd, listed);
    const repo = await Repository.open(repository, {
      mode: "r",
      now: () => createdAt,
      ...(opts.storage ? { storage: opts.storage } : {}),
    });
    if (!(await repo.storage.stat(repo.manifestKey))) {
      throw new StorageNotFoundError(
        repo.manifestKey,
        `repository "${listed}" listed in ${cfg.file} does not exist (looked for ${repository}); nothing was written`,
      );
    }
    const releasesFile = joinLocation(dirnameLocation(repository), "releases.json");
    const releasesKey = joinKey(dirnameKey(repo.manifestKey), "releases.json");
    await readReleasesSnapshot(repo.storage, releasesKey, releasesFile);
    plans.push({ repository, releasesFile, storage: repo.storage, releasesKey, release: createRelease(repo, tag, { now: createdAt }) });
  }

  // Phase 2: append, with compare-and-swap per file.
  const results: ReleaseSyncResult[] = [];
  for (const plan of plans) {
    const r = await appendReleaseAt(plan.storage, plan.releasesKey, plan.releasesFile, plan.release, opts.retry);
    if (!r.created) {
      warn(`Release "${tag}" already exists in ${plan.releasesFile} (repository ${plan.repository}); skipping.`);
    }
    results.push({ repository: plan.repository, releasesFile: plan.releasesFile, tag, created: r.created, release: r.release });
  }
  return results;
}
