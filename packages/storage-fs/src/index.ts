/**
 * @lazyscribe/storage-fs — the local filesystem backend: atomic writes
 * (temp file + fsync + link/rename), per-file locks for compare-and-swap,
 * constant-memory streams, and resolution of local paths and `file://` URLs.
 */
export { FsStorage, type FsStorageOptions } from "./FsStorage.js";
export { resolveLocalLocation } from "./resolveLocalLocation.js";
