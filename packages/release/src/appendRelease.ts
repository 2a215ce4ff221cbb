import {
  backoff,
  ConflictError,
  isLazyscribeError,
  resolveLocation,
  type RetryOptions,
  type StorageBackend,
} from "@lazyscribe/core/internal";
import { z } from "zod";
import { dumps } from "./codec.js";
import { parseInput } from "./input.js";
import { isRelease, type Release } from "./Release.js";
import { readReleasesSnapshot } from "./releasesFile.js";
import { StorageSchema } from "./storageOption.js";

/**
 * Options of {@link appendRelease}.
 *
 * @example
 * await appendRelease("releases.json", release, { storage, retry: { attempts: 10 } } satisfies AppendReleaseOptions);
 */
export interface AppendReleaseOptions {
  /** Storage backend; with it, `location` is a key inside it. */
  storage?: StorageBackend;
  /** Bounds of the compare-and-swap loop (default 40 attempts, 5–250 ms jittered backoff). */
  retry?: RetryOptions;
}

/**
 * What {@link appendRelease} did.
 *
 * @example
 * const { created, releases }: AppendReleaseResult = await appendRelease("releases.json", release);
 */
export interface AppendReleaseResult {
  /** `false` when a release with the same tag was already there (nothing written). */
  created: boolean;
  /** The release now in the file under that tag (the existing one when `created` is false). */
  release: Release;
  /** Every release in the file after the call. */
  releases: Release[];
}

/**
 * Retry bounds with defaults filled in.
 *
 * @example
 * RetrySchema.parse(undefined); // { attempts: 40, baseDelayMs: 5, maxDelayMs: 250 }
 */
export const RetrySchema = z
  .object({
    attempts: z.number().int().min(1).max(1000).default(40),
    baseDelayMs: z.number().min(0).max(10_000).default(5),
    maxDelayMs: z.number().min(0).max(60_000).default(250),
  })
  .default({ attempts: 40, baseDelayMs: 5, maxDelayMs: 250 });

const OptionsSchema = z.object({ storage: StorageSchema.optional(), retry: RetrySchema });

/**
 * Add a release to a `releases.json` (created if missing) without losing
 * releases that other writers add at the same time: the file is re-read and
 * replaced with compare-and-swap (`ifMatch` its etag, or `ifNoneMatch: "*"`
 * when new), retrying on `PreconditionFailedError`; `ConflictError` after the
 * bounded attempts, with nothing half-written. A release whose tag is already
 * in the file is not added (`created: false`). An invalid existing file
 * throws `ManifestError` and is never overwritten.
 *
 * @example
 * const repo = await Repository.open("models/repository.json", { mode: "r" });
 * const { created } = await appendRelease("models/releases.json", createRelease(repo, "v1.2.0"));
 */
export async function appendRelease(location: string, release: Release, options: AppendReleaseOptions = {}): Promise<AppendReleaseResult> {
  const opts = parseInput(OptionsSchema, options ?? {}, "appendRelease() options");
  parseInput(z.custom<Release>(isRelease, "expected a Release"), release, "appendRelease() release");
  const { storage, key } = resolveLocation(location, opts.storage);
  return appendReleaseAt(storage, key, location, release, opts.retry);
}

/**
 * {@link appendRelease} on a resolved backend and key; `file` names the file
 * in messages.
 *
 * @example
 * await appendReleaseAt(repo.storage, "releases.json", "models/releases.json", release, RetrySchema.parse(undefined));
 */
export async function appendReleaseAt(
  storage: StorageBackend,
  key: string,
  file: string,
  release: Release,
  retry: Required<RetryOptions>,
): Promise<AppendReleaseResult> {
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    const { releases, etag } = await readReleasesSnapshot(storage, key, file);
    const existing = releases.find((r) => r.tag === release.tag);
    if (existing) return { created: false, release: existing, releases };
    const next = [...releases, release];
    try {
      await storage.write(key, dumps(next), etag === null ? { ifNoneMatch: "*" } : { ifMatch: etag });
      return { created: true, release, releases: next };
    } catch (err) {
      if (!isLazyscribeError(err, "PRECONDITION_FAILED")) throw err;
      if (attempt + 1 < retry.attempts) await backoff(attempt, retry);
    }
  }
  throw new ConflictError(
    `could not add release "${release.tag}" to ${file} after ${retry.attempts} attempts: other writers kept changing it. Nothing was written for this release; try again.`,
  );
}
