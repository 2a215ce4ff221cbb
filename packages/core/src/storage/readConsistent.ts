import { ConflictError, isLazyscribeError } from "../errors.js";
import type { StorageBackend } from "./StorageBackend.js";

/**
 * Read a file together with the etag of exactly those bytes (stat, read,
 * stat again; retried while another writer replaces it), so a later
 * compare-and-swap against that etag cannot overwrite changes that were not
 * seen. Null when the file does not exist.
 */
export async function readConsistent(storage: StorageBackend, key: string, describe: string): Promise<{ data: Uint8Array; etag: string } | null> {
  if (storage.readWithEtag) return storage.readWithEtag(key);
  for (let attempt = 0; ; attempt++) {
    const before = await storage.stat(key);
    if (!before) return null;
    let data: Uint8Array;
    try {
      data = await storage.read(key);
    } catch (err) {
      if (isLazyscribeError(err, "STORAGE_NOT_FOUND") && attempt < 10) continue;
      throw err;
    }
    const after = await storage.stat(key);
    if (after && after.etag === before.etag) return { data, etag: before.etag };
    if (attempt >= 20) throw new ConflictError(`${describe} kept changing while it was being read`);
  }
}
