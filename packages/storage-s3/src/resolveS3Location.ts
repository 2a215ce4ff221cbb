import { S3Client } from "@aws-sdk/client-s3";
import { InvalidNameError, normalizeKey, registerLocationScheme, splitBucketLocation, type StorageBackend } from "@lazyscribe/core/internal";
import { S3Storage } from "./S3Storage.js";

let client: S3Client | undefined;
const storages = new Map<string, S3Storage>();

function envEndpoint(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

/** One client per process for `s3://` locations, configured by the SDK's standard chain. */
function defaultClient(): S3Client {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const endpoint = envEndpoint();
  return (client ??= new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  }));
}

/**
 * Open an `s3://bucket/prefix/repository.json` location: an {@link S3Storage}
 * on the manifest's folder (one per bucket+folder per process, sharing one
 * client configured from the environment: `AWS_ENDPOINT_URL_S3`,
 * `AWS_REGION`, credentials chain), and the manifest's file name as the key.
 * Importing `@lazyscribe/storage-s3` registers it for the `s3` scheme.
 *
 * @example
 * const { storage, key } = resolveS3Location("s3://ml/models/repository.json");
 * // storage.description === "s3://ml/models", key === "repository.json"
 */
export function resolveS3Location(location: string): { storage: StorageBackend; key: string } {
  const { bucket, folder, file } = splitBucketLocation(location);
  if (!bucket || !file) {
    throw new InvalidNameError(
      `${JSON.stringify(location)} does not name a manifest; use s3://<bucket>/<folder>/repository.json (or project.json, releases.json)`,
    );
  }
  const id = `${bucket}/${folder}`;
  let storage = storages.get(id);
  if (!storage) {
    const endpoint = envEndpoint();
    storage = new S3Storage({ bucket, prefix: folder, client: defaultClient(), ...(endpoint ? { endpoint } : {}) });
    storages.set(id, storage);
  }
  return { storage, key: normalizeKey(file) };
}

registerLocationScheme("s3", resolveS3Location);
