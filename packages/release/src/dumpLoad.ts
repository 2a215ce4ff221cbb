import { isLazyscribeError, resolveLocation, StorageNotFoundError, type StorageBackend } from "@lazyscribe/core/internal";
import { z } from "zod";
import { dumps, loads, type DumpsOptions } from "./codec.js";
import { parseInput } from "./input.js";
import type { Release } from "./Release.js";
import { StorageSchema } from "./storageOption.js";
import { assertUniqueTags } from "./uniqueTags.js";

/**
 * Where a releases file lives: the backend (default chosen from the location, as `Repository.open` does).
 *
 * @example
 * await load("releases.json", { storage: new MemoryStorage() } satisfies ReleasesLocationOptions);
 */
export interface ReleasesLocationOptions {
  /** Storage backend; with it, `location` is a key inside it. */
  storage?: StorageBackend;
}

const StorageOptionSchema = z.object({ storage: StorageSchema.optional() });

const DumpOptionsSchema = StorageOptionSchema.extend({ indent: z.unknown().optional() });

/**
 * Write releases to a `releases.json` (replacing it atomically) in Python's
 * format (see {@link dumps}). The location is resolved like
 * `Repository.open`'s: a path or `file://` URL (local files, when
 * `lazyscribe` or `@lazyscribe/storage-fs` wired them), `memory://...`, or a
 * key in `options.storage`. A tag may appear once: a list that repeats one
 * throws `DuplicateTagError` (code `DUPLICATE_TAG`) and nothing is written, the
 * rule `appendRelease` and `lazyscribe release create` follow. To add one release without losing concurrent
 * additions, use {@link appendRelease} instead.
 *
 * @example
 * await dump([release], "models/releases.json");
 * await dump(releases, "releases.json", { storage: new MemoryStorage() });
 */
export async function dump(
  releases: readonly Release[],
  location: string,
  options: ReleasesLocationOptions & DumpsOptions = {},
): Promise<void> {
  const opts = parseInput(DumpOptionsSchema, options ?? {}, "dump() options");
  assertUniqueTags(releases, location);
  const text = dumps(releases, options.indent === undefined ? {} : { indent: options.indent });
  const { storage, key } = resolveLocation(location, opts.storage);
  await storage.write(key, text);
}

/**
 * Read a `releases.json`. A missing file throws `StorageNotFoundError` (code
 * `STORAGE_NOT_FOUND`); malformed content throws `ManifestError` naming the
 * file and position.
 *
 * @example
 * const releases = await load("models/releases.json");
 * const r = findRelease(releases, "v0.1.0");
 */
export async function load(location: string, options: ReleasesLocationOptions = {}): Promise<Release[]> {
  const opts = parseInput(StorageOptionSchema, options ?? {}, "load() options");
  const { storage, key } = resolveLocation(location, opts.storage);
  let data: Uint8Array;
  try {
    data = await storage.read(key);
  } catch (err) {
    if (isLazyscribeError(err, "STORAGE_NOT_FOUND")) {
      throw new StorageNotFoundError(key, `no releases file at ${location}: create one with dump() or releaseFromToml()`);
    }
    throw err;
  }
  return loads(data, { file: location });
}
