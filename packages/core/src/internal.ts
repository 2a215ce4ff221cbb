/**
 * `@lazyscribe/core/internal`: everything core has, for the other lazyscribe
 * packages (commit loop, hashing streams, option schemas, key helpers...).
 * Not a public API: it may change in any release. Users import
 * `@lazyscribe/core` (see index.ts for what that holds).
 */
export * from "./errors.js";
export { parseEpochSeconds, toEpochSeconds, formatEpochSeconds, formatTime, parseTime, compactStamp, dateToEpochSeconds } from "./time.js";
export { parsePythonJson, stringifyPythonJson, JsonSyntaxError, jsonDepthExceeds, MAX_JSON_DEPTH, type StringifyOptions } from "./json/pythonJson.js";
export { setOwn, copyOwn } from "./json/ownProperty.js";
export { jsonValueProblem, nonJsonObjectKind } from "./json/jsonValueProblem.js";
export { LazyscribeWarning, emitWarning, setDefaultWarningHandler, WarningHandlerSchema, type WarningCode, type WarningHandler } from "./warnings.js";
export { unifiedDiff, pythonSplitLines, pythonVersionDiff, type UnifiedDiffOptions } from "./diff/unifiedDiff.js";
export { slugify, slugifyOrFallback } from "./slugify.js";
export {
  hasScheme,
  isAbsoluteLocation,
  normalizeLocation,
  joinLocation,
  dirnameLocation,
  registerLocationScheme,
  locationScheme,
  locationSchemeResolver,
  locationSchemeProvider,
  splitBucketLocation,
  type LocationResolver,
} from "./locations.js";
export { assertValidName, assertValidFname, assertNotReserved, nameProblem, fnameProblem } from "./names.js";
export type { StorageBackend, StorageStat, WriteOptions, WritableData, ByteStream } from "./storage/StorageBackend.js";
export { MemoryStorage } from "./storage/MemoryStorage.js";
export { readConsistent } from "./storage/readConsistent.js";
export { normalizeKey, keyProblem, joinKey, dirnameKey } from "./storage/keys.js";
export { toByteStream, iterateStream, collectBytes, concatBytes } from "./storage/streams.js";
export type { ArtifactHandler, ArtifactSource, HandlerReadOptions } from "./handlers/ArtifactHandler.js";
export { HandlerRegistry } from "./handlers/HandlerRegistry.js";
export { PortableSha256, portableSha256, hashFor, type HashFactory, type HashHint, type IncrementalHash } from "./hashing/Sha256.js";
export { ManifestEntrySchema, ManifestSchema, type ManifestEntry } from "./manifest/ManifestEntry.js";
export { parseManifest, recordsFromJson, serializeManifest, parseJsonFile, manifestErrorFromZod } from "./manifest/manifestCodec.js";
export { VersionIndex, buildIndexes } from "./resolution/VersionIndex.js";
export { resolveVersion, parseMatch, type VersionSpec, type Match } from "./resolution/resolveVersion.js";
export { ArtifactRecord, type ArtifactMetadata } from "./repository/ArtifactRecord.js";
export { commitWithRetry, type CommitAttempt } from "./repository/commitWithRetry.js";
export { lockState } from "./repository/lockState.js";
export { assertKnownOptions, closestName } from "./options/exactOptions.js";
export type { HandlerWriteOptionsMap, HandlerReadOptionsMap, KnownHandlerAlias, DefaultWriteOptions, KnownReadOptions, ExactLogOptions } from "./options/handlerOptions.js";
export { writeArtifactFile, handlerOutput, preparedValue, preparedOutput, isOneShot, type ArtifactFileWrite } from "./repository/writeArtifactFile.js";
export { verifiedSource, verifyingStream, hashingStream, hashingIterable, type Expectation } from "./repository/verifiedSource.js";
export {
  Repository,
  checkEnvironment,
  outputOnlyAdded,
  outputOnlyLoaded,
  type VersionQuery,
  type LoadOptions,
  type LogOptions,
  type LogBaseOptions,
  type LoadCheckOptions,
  type DynamicLogOptions,
  type FileSource,
  type VerifyProblem,
  type GcResult,
} from "./repository/Repository.js";
export {
  ModeSchema,
  RepositoryOptionsSchema,
  StorageOptionSchema,
  HandlersOptionSchema,
  ClockOptionSchema,
  HashOptionSchema,
  RetryOptionsSchema,
  hasMethods,
  parseOptions, clockSeconds, backoff, type Mode, type RepositoryOptions, type RetryOptions } from "./repository/options.js";
export {
  configureDefaults,
  defaultHandlers,
  defaultHash,
  registerHandler,
  resolveLocation,
  type ResolvedLocation,
  type LocalLocationResolver,
} from "./defaults.js";
