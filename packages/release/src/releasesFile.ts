import { ConflictError, isLazyscribeError, type StorageBackend } from "@lazyscribe/core/internal";
import { loads } from "./codec.js";
import type { Release } from "./Release.js";

/**
 * The releases stored at a key, and the etag of exactly the bytes parsed (`null`: no file).
 *
 * @example
 * const { releases, etag }: ReleasesSnapshot = await readReleasesSnapshot(storage, key, "releases.json");
 */
export interface ReleasesSnapshot {
  releases: Release[];
  etag: string | null;
}

/**
 * Read and validate `releases.json` at `key`, together with the etag of the
 * bytes that were parsed (a write in between is detected and the read
 * repeated), so the caller can replace it with compare-and-swap. A missing
 * file is an empty list with etag `null`. Invalid content → `ManifestError`
 * naming `file`.
 *
 * @example
 * const { releases, etag } = await readReleasesSnapshot(storage, "releases.json", "releases.json");
 */
export async function readReleasesSnapshot(storage: StorageBackend, key: string, file: string): Promise<ReleasesSnapshot> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const before = await storage.stat(key);
    if (!before) return { releases: [], etag: null };
    let data: Uint8Array;
    try {
      data = await storage.read(key);
    } catch (err) {
      if (isLazyscribeError(err, "STORAGE_NOT_FOUND")) continue; // removed meanwhile: look again
      throw err;
    }
    const after = await storage.stat(key);
    if (after && after.etag === before.etag) return { releases: loads(data, { file }), etag: before.etag };
  }
  throw new ConflictError(`${file} kept changing while it was being read`);
}
