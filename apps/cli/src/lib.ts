/**
 * The parts of lazyscribe the CLI uses. Named re-exports (rather than the
 * whole namespace) let the bundler drop what no command needs; this module
 * is imported lazily by `lib()` in context.ts.
 */
export {
  appendRelease,
  createRelease,
  DuplicateTagError,
  findRelease,
  joinKey,
  load,
  minimalRepositoryFromRelease,
  parseTime,
  Project,
  releaseFromPackageJson,
  releaseFromToml,
  Repository,
  resolveLocation,
  toByteStream,
} from "lazyscribe";
