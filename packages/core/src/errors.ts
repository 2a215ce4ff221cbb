/**
 * Every error thrown by lazyscribe is a {@link LazyscribeError} with a stable
 * `code`, so callers can branch on `err.code` even when two copies of the
 * package (e.g. a bundled CLI and a library) are loaded and `instanceof` fails.
 *
 * @example
 * try { await repo.loadArtifact("features"); }
 * catch (err) { if (isLazyscribeError(err, "VERSION_NOT_FOUND")) ... }
 */
export class LazyscribeError extends Error {
  readonly code: string = "LAZYSCRIBE_ERROR";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Read-only rules were broken: a write to a read-only repository, project,
 * experiment or test — or an operation that needs a read-only repository with
 * nothing unsaved (`filter`, `createRelease`) was called on a writable one.
 */
export class ReadOnlyError extends LazyscribeError {
  override readonly code: string = "READ_ONLY";
}

/** Writing artifacts or the manifest failed; nothing was committed. */
export class SaveError extends LazyscribeError {
  override readonly code: string = "SAVE_FAILED";
}

/** Compare-and-swap kept failing because other writers committed first. */
export class ConflictError extends LazyscribeError {
  override readonly code: string = "CONFLICT";
}

/**
 * A storage precondition (`ifMatch` / `ifNoneMatch`) did not hold. Backends
 * throw it; `save()` retries on it and only surfaces {@link ConflictError}.
 */
export class PreconditionFailedError extends ConflictError {
  override readonly code: string = "PRECONDITION_FAILED";
  constructor(
    readonly key: string,
    message = `precondition failed for "${key}": it was changed or created by another writer`,
  ) {
    super(message);
  }
}

/** A key does not exist in a storage backend. */
export class StorageNotFoundError extends LazyscribeError {
  override readonly code: string = "STORAGE_NOT_FOUND";
  constructor(readonly key: string, message = `"${key}" does not exist in storage`) {
    super(message);
  }
}

/**
 * The storage itself failed: disk full, read-only filesystem, permission
 * denied, I/O error. `osCode` is the system's code (`ENOSPC`, `EROFS`,
 * `EACCES`, ...), `path` the file or folder concerned, `hint` what to do.
 * Nothing was committed by the failed write.
 *
 * @example
 * try { await repo.save(); }
 * catch (err) { if (isLazyscribeError(err, "STORAGE")) console.error((err as StorageError).hint); }
 */
export class StorageError extends LazyscribeError {
  override readonly code: string = "STORAGE";
  constructor(
    readonly osCode: string,
    readonly path: string,
    readonly hint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A manifest (repository.json, project.json, releases.json) is malformed or has the wrong shape. */
export class ManifestError extends LazyscribeError {
  override readonly code: string = "MANIFEST_INVALID";
  constructor(
    readonly file: string,
    readonly path: ReadonlyArray<string | number>,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    const where = path.length > 0 ? ` at ${formatPath(path)}` : "";
    super(
      `${file}${where}: ${detail}. Fix the file by hand or restore it from a backup; it will not be overwritten while it is invalid.`,
      options,
    );
  }
}

/** A name or file name is empty, absolute, contains `..`, control characters, or would escape the folder. */
export class InvalidNameError extends LazyscribeError {
  override readonly code: string = "INVALID_NAME";
}

/** An artifact file does not match the sha256 / size recorded in the manifest. */
export class IntegrityError extends LazyscribeError {
  override readonly code: string = "INTEGRITY";
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}. The file was changed or truncated after it was saved.`);
  }
}

/** Base class of artifact errors. */
export class ArtifactError extends LazyscribeError {
  override readonly code: string = "ARTIFACT_ERROR";
}
/** An artifact could not be logged (duplicate, not newer, bad value). */
export class ArtifactLogError extends ArtifactError {
  override readonly code: string = "ARTIFACT_LOG";
}
/** An artifact could not be loaded. */
export class ArtifactLoadError extends ArtifactError {
  override readonly code: string = "ARTIFACT_LOAD";
}
/** No artifact of that name exists. */
export class ArtifactNotFoundError extends ArtifactError {
  override readonly code: string = "ARTIFACT_NOT_FOUND";
}
/** No handler is registered for an alias (for example Python's `pickle`). */
export class UnknownHandlerError extends ArtifactError {
  override readonly code: string = "UNKNOWN_HANDLER";
  constructor(readonly alias: string, context = "") {
    super(
      `no handler is registered for "${alias}"${context}. Register one with registerHandler() or pass a handler registry to open().`,
    );
  }
}

/** The artifact exists, but no version matches the request. */
export class VersionNotFoundError extends LazyscribeError {
  override readonly code: string = "VERSION_NOT_FOUND";
}

/** A version specifier is not an integer, a Date, or a time string. */
export class InvalidVersionError extends LazyscribeError {
  override readonly code: string = "INVALID_VERSION";
}

/**
 * An option object has a key no option of that call has (a typo such as
 * `{ handlr: "json" }`): names the key and the closest valid one.
 */
export class InvalidOptionError extends LazyscribeError {
  override readonly code: string = "INVALID_OPTION";
  constructor(
    readonly key: string,
    readonly closest: string | null,
    readonly where: string,
  ) {
    super(`unknown option "${key}" in ${where}${closest ? `; did you mean "${closest}"?` : ""}`);
  }
}

/**
 * An optional package that a feature needs cannot be loaded: it is not
 * installed, or is installed without one of its own dependencies.
 * `packageName` is what to install (`npm install <packageName>`).
 *
 * @example
 * try { await Repository.open("s3://models/repository.json"); }
 * catch (err) { if (isLazyscribeError(err, "MISSING_PACKAGE")) console.error((err as MissingPackageError).packageName); }
 */
export class MissingPackageError extends LazyscribeError {
  override readonly code: string = "MISSING_PACKAGE";
  constructor(
    readonly packageName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `err` is a lazyscribe error, optionally with the given code. */
export function isLazyscribeError(err: unknown, code?: string): err is LazyscribeError {
  if (typeof err !== "object" || err === null) return false;
  const c = (err as { code?: unknown }).code;
  if (typeof c !== "string" || !(err instanceof Error)) return false;
  return code === undefined ? err instanceof LazyscribeError || c.length > 0 : c === code;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
}
