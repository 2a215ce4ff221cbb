/**
 * `@lazyscribe/storage-s3`: S3-compatible object storage for lazyscribe.
 * Importing it registers the `s3://bucket/prefix/repository.json` location
 * scheme.
 *
 * @packageDocumentation
 */
export { S3Storage, type S3StorageOptions } from "./S3Storage.js";
export { S3StorageError, type S3StorageErrorCode } from "./S3StorageError.js";
export { resolveS3Location } from "./resolveS3Location.js";
