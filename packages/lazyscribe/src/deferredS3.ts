import {
  InvalidNameError,
  MissingPackageError,
  locationSchemeResolver,
  normalizeKey,
  readConsistent,
  registerLocationScheme,
  splitBucketLocation,
  type LocationResolver,
  type StorageBackend,
  type WriteOptions,
  type WritableData,
} from "@lazyscribe/core/internal";

type S3Module = typeof import("@lazyscribe/storage-s3");
let loading: Promise<S3Module> | undefined;

const STORAGE_S3 = "@lazyscribe/storage-s3";

/** Import `@lazyscribe/storage-s3` once, on the first `s3://` request. */
export function loadStorageS3(importer: () => Promise<S3Module> = () => import("@lazyscribe/storage-s3")): Promise<S3Module> {
  return (loading ??= importer().catch((err: unknown) => {
    loading = undefined;
    throw missingPackageError(err) ?? err;
  }));
}

/**
 * What could not be loaded when `err` is Node's "module not found" (ESM:
 * `Cannot find package 'x' imported from ...`; CommonJS: `Cannot find
 * module 'x'\nRequire stack: ...`), else null. `packageName` is the package
 * to install; `incomplete` when it is there but a file of it is missing.
 */
export function missingModule(err: unknown): { packageName: string; incomplete: boolean } | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return null;
  const specifier = /Cannot find (?:package|module) '([^']+)'/.exec(String((err as Error).message))?.[1];
  if (specifier === undefined) return { packageName: STORAGE_S3, incomplete: false };
  const bare = /^(?:@[^/\\:]+\/[^/\\:]+|[^./\\@:][^/\\:]*)(?=\/|$)/.exec(specifier);
  if (bare) return { packageName: bare[0], incomplete: false };
  // A path: a file of an installed package (the last node_modules/<name> in it) is missing.
  const owner = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/@][^\\/]*)[\\/](?!.*[\\/]node_modules[\\/])/.exec(specifier);
  return { packageName: owner ? owner[1]!.replace(/\\/g, "/") : STORAGE_S3, incomplete: true };
}

/** The typed error for a failed import of the S3 backend, or null when `err` is something else. */
export function missingPackageError(err: unknown): MissingPackageError | null {
  const missing = missingModule(err);
  if (missing === null) return null;
  const { packageName, incomplete } = missing;
  const install = `npm install ${packageName}`;
  const message = incomplete
    ? `s3:// locations need ${STORAGE_S3}, and ${packageName} is installed incompletely (a file of it is missing): install it again (${install})`
    : packageName === STORAGE_S3
      ? `s3:// locations need the package ${STORAGE_S3}, which is not installed: install it (${install})`
      : `s3:// locations need ${STORAGE_S3}, whose dependency ${packageName} is not installed: install it (${install})`;
  return new MissingPackageError(packageName, message, { cause: err });
}

/**
 * A backend that loads the real one (`S3Storage`) on first use, so opening
 * local paths never pays for the AWS SDK. Every method waits for the load,
 * then delegates.
 */
export class DeferredStorage implements StorageBackend {
  /** It only ever stands for an object store (see `StorageBackend.remote`). */
  readonly remote = true;
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

// One backend per bucket+folder for the whole process, as `resolveS3Location`
// keeps one S3Storage for each: two locations in one folder are then the same
// backend, before the load and after it (dependency resolution recognises a
// project it already opened; promotion copies inside it).
const deferred = new Map<string, DeferredStorage>();

/**
 * Register `s3://` so that the first use loads `@lazyscribe/storage-s3`;
 * leaves a resolver that is already registered (the package imported first).
 */
export function registerDeferredS3(): void {
  if (locationSchemeResolver("s3")) return;
  const resolver: LocationResolver = (location) => {
    const { bucket, folder, file } = splitBucketLocation(location);
    if (!bucket || !file) {
      throw new InvalidNameError(
        `${JSON.stringify(location)} does not name a manifest; use s3://<bucket>/<folder>/repository.json (or project.json, releases.json)`,
      );
    }
    const key = normalizeKey(file);
    const description = `s3://${bucket}${folder ? `/${folder}` : ""}`;
    let storage = deferred.get(description);
    if (!storage) {
      storage = new DeferredStorage(description, async () => {
        const s3 = await loadStorageS3();
        // Importing the package registers its own resolver over this one; keep
        // this one, so later locations get the backends opened before the load.
        if (locationSchemeResolver("s3") === s3.resolveS3Location) registerLocationScheme("s3", resolver);
        return s3.resolveS3Location(location).storage;
      });
      deferred.set(description, storage);
    }
    return { storage, key };
  };
  registerLocationScheme("s3", resolver);
}
