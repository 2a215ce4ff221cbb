/**
 * @lazyscribe/core — pure domain logic: records, version resolution,
 * Repository, errors, time parsing, manifest schemas, and the
 * StorageBackend / ArtifactHandler interfaces. No Node built-ins.
 *
 * The public surface, curated: what a user or an author of a storage backend
 * or handler needs. The other packages of lazyscribe also use internals from
 * `@lazyscribe/core/internal` (re-exported from there, so each class exists
 * once). `exports.txt` lists these names; a test keeps it in step.
 */
export {
  // Errors (every one has a stable `code`).
  LazyscribeError,
  ReadOnlyError,
  SaveError,
  ConflictError,
  PreconditionFailedError,
  StorageNotFoundError,
  ManifestError,
  InvalidNameError,
  IntegrityError,
  ArtifactError,
  ArtifactLogError,
  ArtifactLoadError,
  ArtifactNotFoundError,
  UnknownHandlerError,
  VersionNotFoundError,
  InvalidVersionError,
  InvalidOptionError,
  MissingPackageError,
  StorageError,
  isLazyscribeError,
  // Warnings Python gives (onWarning).
  LazyscribeWarning,
  // Repositories and their records.
  Repository,
  ArtifactRecord,
  // Times (naive times are UTC) and Python's JSON.
  parseTime,
  formatTime,
  parsePythonJson,
  stringifyPythonJson,
  JsonSyntaxError,
  // Manifests.
  ManifestEntrySchema,
  ManifestSchema,
  parseManifest,
  serializeManifest,
  // Storage: the in-memory backend and helpers for writing your own.
  MemoryStorage,
  joinKey,
  toByteStream,
  iterateStream,
  collectBytes,
  // Handlers and hashing.
  HandlerRegistry,
  registerHandler,
  portableSha256,
  // Defaults: which backend a location uses, which handlers and hash.
  configureDefaults,
  defaultHandlers,
  resolveLocation,
  // Names and file names: the checks logArtifact applies (for tools that take them from users).
  assertValidName,
  assertValidFname,
  // Location schemes (s3:// and your own).
  registerLocationScheme,
  splitBucketLocation,
} from "./internal.js";
export type {
  StringifyOptions,
  StorageBackend,
  StorageStat,
  WriteOptions,
  WritableData,
  ByteStream,
  ArtifactHandler,
  ArtifactSource,
  HandlerReadOptions,
  HashFactory,
  HashHint,
  IncrementalHash,
  ManifestEntry,
  VersionSpec,
  Match,
  ArtifactMetadata,
  VersionQuery,
  LoadOptions,
  LogOptions,
  LogBaseOptions,
  LoadCheckOptions,
  DynamicLogOptions,
  FileSource,
  VerifyProblem,
  GcResult,
  Mode,
  RepositoryOptions,
  RetryOptions,
  ResolvedLocation,
  LocalLocationResolver,
  LocationResolver,
  WarningCode,
  WarningHandler,
  UnifiedDiffOptions,
  HandlerWriteOptionsMap,
  HandlerReadOptionsMap,
  KnownHandlerAlias,
  DefaultWriteOptions,
  KnownReadOptions,
} from "./internal.js";
