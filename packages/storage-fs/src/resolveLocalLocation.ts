import path from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidNameError, normalizeKey } from "@lazyscribe/core/internal";
import type { StorageBackend } from "@lazyscribe/core/internal";
import { FsStorage, type FsStorageOptions } from "./FsStorage.js";

/**
 * Open a local manifest location: a path (relative to `process.cwd()` or
 * absolute) or a `file://` URL, pointing at a manifest file such as
 * `data/repository.json`. Returns an {@link FsStorage} rooted at the
 * manifest's folder, and the manifest's file name as the key.
 *
 * `file:///abs/path/repository.json` is absolute; like Python's fsspec,
 * `file://data/repository.json` (no third slash) is taken relative to the
 * working directory. Percent-escapes in URLs are decoded.
 *
 * This is the `LocalLocationResolver` that `lazyscribe` plugs into
 * `configureDefaults({ local })`.
 *
 * @example
 * import { configureDefaults } from "@lazyscribe/core/internal";
 * import { resolveLocalLocation } from "@lazyscribe/storage-fs";
 *
 * const { storage, key } = resolveLocalLocation("data/repository.json");
 * // storage.description === `file://${process.cwd()}/data`, key === "repository.json"
 * configureDefaults({ local: resolveLocalLocation });
 */
export function resolveLocalLocation(
  location: string,
  options?: FsStorageOptions,
): { storage: StorageBackend; key: string } {
  if (typeof location !== "string" || location.trim().length === 0) {
    throw new InvalidNameError("a local location must be a non-empty path such as \"data/repository.json\"");
  }
  const file = toAbsolutePath(location);
  const tail = location.split(/[/\\]/).pop() ?? "";
  if (tail === "" || tail === "." || tail === "..") {
    throw new InvalidNameError(
      `${JSON.stringify(location)} names a folder; point at the manifest file inside it, such as ${JSON.stringify(
        `${location.replace(/[/\\]+$/, "")}/repository.json`,
      )}`,
    );
  }
  const key = normalizeKey(path.basename(file));
  return { storage: new FsStorage(path.dirname(file), options), key };
}

function toAbsolutePath(location: string): string {
  if (/^file:/i.test(location)) {
    if (/^file:\/\/(localhost)?\//i.test(location)) {
      try {
        return fileURLToPath(location.replace(/^file:\/\/localhost\//i, "file:///"));
      } catch (err) {
        throw new InvalidNameError(`${JSON.stringify(location)} is not a valid file:// URL: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    if (/^file:\/\//i.test(location)) {
      let rest: string;
      try {
        rest = decodeURIComponent(location.slice("file://".length));
      } catch (err) {
        throw new InvalidNameError(`${JSON.stringify(location)} has a malformed percent-escape`, { cause: err });
      }
      return path.resolve(process.cwd(), rest);
    }
    throw new InvalidNameError(
      `${JSON.stringify(location)} is not a file:// URL; write file:///absolute/path/repository.json or a plain path`,
    );
  }
  return path.resolve(process.cwd(), location);
}
