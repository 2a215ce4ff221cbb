/**
 * @lazyscribe/release — releases: named, timestamped groups of artifact
 * versions. Create, find, dump and load them (in Python lazyscribe's
 * `releases.json` format), cut them from `pyproject.toml` / `package.json`,
 * and copy one release into a minimal repository for deployment.
 * Depends only on `@lazyscribe/core` (its public API and `/internal`); all I/O goes through a
 * `StorageBackend`.
 */
export { Release, isRelease, type ReleaseArtifact, type ReleaseInit, type ReleaseJSON } from "./Release.js";
export { createRelease, type CreateReleaseOptions } from "./createRelease.js";
export { findRelease, type FindReleaseOptions } from "./findRelease.js";
export { dumps, loads, type DumpsOptions, type LoadsOptions } from "./codec.js";
export { dump, load, type ReleasesLocationOptions } from "./dumpLoad.js";
export { DuplicateTagError } from "./uniqueTags.js";
export { appendRelease, type AppendReleaseOptions, type AppendReleaseResult } from "./appendRelease.js";
export { formatTag, TAG_PLACEHOLDERS, type TagFields } from "./formatTag.js";
export { DEFAULT_TAG_FORMAT, type ReleaseConfig } from "./releaseConfig.js";
export { releaseFromToml } from "./releaseFromToml.js";
export { releaseFromPackageJson } from "./releaseFromPackageJson.js";
export { syncReleases, type ReleaseFromConfigOptions, type ReleaseSyncResult } from "./syncReleases.js";
export {
  minimalRepositoryFromRelease,
  type MinimalRepositoryOptions,
  type MinimalRepositoryResult,
} from "./minimalRepository.js";
export type { TimeInput } from "./clock.js";
