/** Bytes as a web stream: works in Node, browsers and edge runtimes alike. */
export type ByteStream = ReadableStream<Uint8Array>;

/** What a backend accepts as data to write. */
export type WritableData = Uint8Array | string | ByteStream | AsyncIterable<Uint8Array>;

/** File facts. `etag` changes whenever the content is replaced. */
export interface StorageStat {
  size: number;
  etag: string;
  mtime: Date;
}

/**
 * Preconditions for compare-and-swap. `ifMatch`: replace only if the current
 * etag equals it. `ifNoneMatch: "*"`: create only if the key does not exist
 * (never overwrite). Violations throw `PreconditionFailedError`.
 */
export interface WriteOptions {
  ifMatch?: string;
  ifNoneMatch?: "*";
}

/**
 * Where repositories and projects live. Keys are relative, `/`-separated
 * paths (`"features/features-20250101120000.json"`). Every write is atomic: a
 * reader sees the old content or the new, never a mix.
 *
 * Implement this to add a backend, and run `storageConformanceSuite` from
 * `@lazyscribe/core/testing` in your tests.
 *
 * @example
 * const storage: StorageBackend = new MemoryStorage();
 * await storage.write("a/b.txt", "hi", { ifNoneMatch: "*" });
 */
export interface StorageBackend {
  /** Human-readable identity used in messages (`file:///data/repo`, `memory://x`). */
  readonly description: string;
  /**
   * Optional: bytes travel over a network (object stores). They arrive slower
   * than one core hashes them, so streamed hashes stay on the calling thread
   * instead of a helper thread that would only add memory.
   */
  readonly remote?: boolean;
  /** Whole content. Missing key → `StorageNotFoundError`. */
  read(key: string): Promise<Uint8Array>;
  /** Streamed content. Missing key → `StorageNotFoundError` (thrown before the stream is returned). */
  readStream(key: string): Promise<ByteStream>;
  /** Atomically write the whole value; returns the new stat. */
  write(key: string, data: WritableData, options?: WriteOptions): Promise<StorageStat>;
  /** `null` when the key does not exist. */
  stat(key: string): Promise<StorageStat | null>;
  /** Every key that starts with `prefix` (`""` lists all), in no particular order. */
  list(prefix: string): Promise<string[]>;
  /** Remove a key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Copy within this backend (streamed), honouring the write preconditions. */
  copy(from: string, to: string, options?: WriteOptions): Promise<StorageStat>;
  /**
   * Optional: whole content together with the etag of exactly those bytes, in
   * one request (object stores answer both in one GET); `null` when missing.
   * Without it, `readConsistent` uses stat, read, stat.
   */
  readWithEtag?(key: string): Promise<{ data: Uint8Array; etag: string } | null>;
  /**
   * Optional: remove leftovers of interrupted writes that are not keys
   * (S3: incomplete multipart uploads) started before `before`, unless
   * `dryRun`. Returns their keys. `Repository.gc` calls it.
   */
  cleanupIncomplete?(options: { before: Date; dryRun: boolean }): Promise<string[]>;
}
