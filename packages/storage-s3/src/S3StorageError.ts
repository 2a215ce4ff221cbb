import { LazyscribeError, PreconditionFailedError, StorageNotFoundError } from "@lazyscribe/core/internal";

/** Stable codes of {@link S3StorageError}. */
export type S3StorageErrorCode =
  | "STORAGE_ACCESS_DENIED"
  | "STORAGE_CREDENTIALS"
  | "STORAGE_CREDENTIALS_EXPIRED"
  | "STORAGE_WRONG_REGION"
  | "STORAGE_UNREACHABLE"
  | "STORAGE_NO_BUCKET"
  | "STORAGE_NO_CONDITIONAL_WRITES"
  | "STORAGE_TOO_LARGE"
  | "STORAGE_ERROR";

/**
 * A failure talking to the object store, with what to do about it. Never a
 * raw SDK error: the SDK's error stays in `cause`.
 *
 * @example
 * try { await Repository.open("s3://bucket/repository.json") }
 * catch (err) { if (isLazyscribeError(err, "STORAGE_ACCESS_DENIED")) console.error(err.message) }
 */
export class S3StorageError extends LazyscribeError {
  override readonly code: S3StorageErrorCode;
  constructor(
    code: S3StorageErrorCode,
    message: string,
    readonly bucket: string,
    readonly key: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
  }
}

interface SdkErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

/** The HTTP status of an SDK error, if it got one. */
export function statusOf(err: unknown): number | undefined {
  const e = err as SdkErrorLike | undefined;
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
}

/** The S3 error code (`NoSuchKey`, `PreconditionFailed`, ...) or the Node error code. */
export function nameOf(err: unknown): string {
  const e = err as SdkErrorLike | undefined;
  return String(e?.Code ?? e?.name ?? e?.code ?? "");
}

const NETWORK = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|TimeoutError|socket hang up|RequestTimeout/i;

/** Where the request went: `s3://bucket/key at endpoint`. */
export interface S3Place {
  bucket: string;
  key?: string;
  endpoint: string;
}

/**
 * Translate an SDK failure into a typed lazyscribe error: 404 →
 * `StorageNotFoundError`, 412 / 409 → `PreconditionFailedError`, the rest →
 * {@link S3StorageError} with a code and advice.
 */
export function toStorageError(err: unknown, place: S3Place, operation: string): Error {
  if (err instanceof LazyscribeError) return err;
  const name = nameOf(err);
  const status = statusOf(err);
  const where = `s3://${place.bucket}${place.key === undefined ? "" : `/${place.key}`}`;
  const at = `${where} (endpoint ${place.endpoint})`;
  const mk = (code: S3StorageErrorCode, msg: string): S3StorageError =>
    new S3StorageError(code, msg, place.bucket, place.key, { cause: err });
  if (name === "NoSuchBucket") {
    return mk("STORAGE_NO_BUCKET", `bucket "${place.bucket}" does not exist at ${place.endpoint}; create it or fix the location`);
  }
  if (name === "NoSuchKey" || (status === 404 && (name === "NotFound" || name === "" || name === "UnknownError"))) {
    return new StorageNotFoundError(place.key ?? "", `${where} does not exist`);
  }
  if (name === "PreconditionFailed" || status === 412 || name === "ConditionalRequestConflict" || status === 409) {
    return new PreconditionFailedError(place.key ?? "");
  }
  if (name === "ExpiredToken" || name === "TokenRefreshRequired" || name === "ExpiredTokenException" || /expired/i.test(String((err as Error)?.message))) {
    return mk("STORAGE_CREDENTIALS_EXPIRED", `the credentials for ${at} have expired; refresh them (aws sso login, new session token) and retry`);
  }
  if (name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch" || name === "CredentialsProviderError" || name === "InvalidToken") {
    return mk(
      "STORAGE_CREDENTIALS",
      `the credentials were refused for ${at} (${name}); check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE`,
    );
  }
  if (name === "AccessDenied" || name === "Forbidden" || status === 403) {
    return mk("STORAGE_ACCESS_DENIED", `access denied to ${at} during ${operation}; check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE) and that they may s3:GetObject, s3:PutObject, s3:ListBucket and s3:DeleteObject there`);
  }
  if (name === "PermanentRedirect" || name === "AuthorizationHeaderMalformed" || name === "IllegalLocationConstraintException" || status === 301) {
    return mk("STORAGE_WRONG_REGION", `bucket "${place.bucket}" is in another region than the one configured; set AWS_REGION (or the region option) to the bucket's region`);
  }
  if (NETWORK.test(name) || NETWORK.test(String((err as Error)?.message)) || NETWORK.test(String((err as { cause?: { code?: string } })?.cause?.code))) {
    const e = err as { code?: unknown; cause?: { code?: unknown }; message?: string };
    const why = [e.code, e.cause?.code, name, e.message].find((v): v is string => typeof v === "string" && NETWORK.test(v)) ?? e.message;
    return mk("STORAGE_UNREACHABLE", `cannot reach ${place.endpoint} for ${where} (${why}); check the endpoint (AWS_ENDPOINT_URL_S3) and the network`);
  }
  if (name === "NotImplemented" || status === 501) {
    return mk("STORAGE_ERROR", `${place.endpoint} does not implement ${operation} (${where})`);
  }
  const detail = (err as Error)?.message || name || String(err);
  return mk("STORAGE_ERROR", `${operation} of ${at} failed${status ? ` (HTTP ${status})` : ""}: ${detail}`);
}
