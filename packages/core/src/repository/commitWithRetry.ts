import { ConflictError, PreconditionFailedError, isLazyscribeError } from "../errors.js";
import type { StorageBackend, StorageStat } from "../storage/StorageBackend.js";
import { backoff, type RetryOptions } from "./options.js";

/** One attempt of a commit: what to write, and against which etag. */
export interface CommitAttempt {
  /** The etag the body was built from; null: the file did not exist. */
  etag: string | null;
  body: Uint8Array | string;
  /** Replace whatever is there (mode `w`'s first save). */
  unconditional?: boolean;
  /** Called once, after this attempt's write succeeded. */
  committed(stat: StorageStat): void;
}

/**
 * Commit a manifest with compare-and-swap: `prepare()` reads what it needs and
 * builds the body; the write succeeds only if the file still has that etag
 * (or still does not exist). Otherwise it backs off (full jitter) and
 * prepares again; after `retry.attempts` tries, {@link ConflictError}, with
 * nothing committed.
 */
export async function commitWithRetry(
  storage: StorageBackend,
  key: string,
  describe: string,
  retry: Required<RetryOptions>,
  prepare: () => Promise<CommitAttempt>,
): Promise<void> {
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    const a = await prepare();
    try {
      const stat = await storage.write(key, a.body, a.unconditional ? {} : a.etag === null ? { ifNoneMatch: "*" } : { ifMatch: a.etag });
      a.committed(stat);
      return;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError || isLazyscribeError(err, "PRECONDITION_FAILED"))) throw err;
      await backoff(attempt, retry);
    }
  }
  throw new ConflictError(
    `could not commit ${describe} after ${retry.attempts} attempts: other writers kept changing it. Nothing was committed; call save() again.`,
  );
}
