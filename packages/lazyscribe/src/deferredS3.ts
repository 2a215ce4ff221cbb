import {
  LazyscribeError,
  InvalidNameError,
  locationSchemeResolver,
  normalizeKey,
  readConsistent,
  registerLocationScheme,
  splitBucketLocation,
  type StorageBackend,
  type WriteOptions,
  type WritableData,
} from "@lazyscribe/core/internal";

type S3Module = typeof import("@lazyscribe/storage-s3");
let loading: Promise<S3Module> | undefined;

/** Import `@lazyscribe/storage-s3` once, on the first `s3://` request. */
export function loadStorageS3(): Promise<S3Module> {
  return (loading ??= import("@lazyscribe/storage-s3").catch((err: unknown) => {
    loading = undefined;
    const code = (err as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new LazyscribeError(
        "s3:// locations need the @lazyscribe/storage-s3 package: install it (npm install @lazyscribe/storage-s3)",
        { cause: err },
      );
    }
    throw err;
  }));
}

/**
 * A backend that loads the real one (`S3Storage`) on first use, so opening
 * local paths never pays for the AWS SDK. Every method waits for the load,
 * then delegates.
 */
export class DeferredStorage implements StorageBackend {
  private real: Promise<StorageBackend> | undefined;

  constructor(
    readonly description: string,
    private readonly load: () => Promise<StorageBackend>,
  ) {}

  private get(): Promise<StorageBackend> {
    return (this.real ??= this.load().catch((err: unknown) => {
      this.real = undefined;
      throw err;
    }));
  }

  async read(key: string): Promise<Uint8Array> {
    return (await this.get()).read(key);
  }
  async readStream(key: string): Promise<ReadableStream<Uint8Array>> {
    return (await this.get()).readStream(key);
  }
  async write(key: string, data: WritableData, options?: WriteOptions): Promise<{ size: number; etag: string; mtime: Date }> {
    return (await this.get()).write(key, data, options);
  }
  async stat(key: string): Promise<{ size: number; etag: string; mtime: Date } | null> {
    return (await this.get()).stat(key);
  }
  async list(prefix: string): Promise<string[]> {
    return (await this.get()).list(prefix);
  }
  async delete(key: string): Promise<void> {
    return (await this.get()).delete(key);
  }
  async copy(from: string, to: string, options?: WriteOptions): Promise<{ size: number; etag: string; mtime: Date }> {
    return (await this.get()).copy(from, to, options);
  }
  async readWithEtag(key: string): Promise<{ data: Uint8Array; etag: string } | null> {
    const real = await this.get();
    return real.readWithEtag ? real.readWithEtag(key) : readConsistent(real, key, `${real.description}/${key}`);
  }
  async cleanupIncomplete(options: { before: Date; dryRun: boolean }): Promise<string[]> {
    const real = await this.get();
    return real.cleanupIncomplete ? real.cleanupIncomplete(options) : [];
  }
}

/**
 * Register `s3://` so that the first use loads `@lazyscribe/storage-s3`;
 * leaves a resolver that is already registered (the package imported first).
 */
export function registerDeferredS3(): void {
  if (locationSchemeResolver("s3")) return;
  registerLocationScheme("s3", (location) => {
    const { bucket, folder, file } = splitBucketLocation(location);
    if (!bucket || !file) {
      throw new InvalidNameError(
        `${JSON.stringify(location)} does not name a manifest; use s3://<bucket>/<folder>/repository.json (or project.json, releases.json)`,
      );
    }
    const key = normalizeKey(file);
    const description = `s3://${bucket}${folder ? `/${folder}` : ""}`;
    return { storage: new DeferredStorage(description, async () => (await loadStorageS3()).resolveS3Location(location).storage), key };
  });
}
