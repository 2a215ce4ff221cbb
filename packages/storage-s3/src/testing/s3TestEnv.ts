import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { S3Storage, type S3StorageOptions } from "../S3Storage.js";

/** True when the global setup brought up (or found) the S3 test server. */
export const s3Available = process.env.LAZYSCRIBE_S3_SKIP !== "1" && !!process.env.AWS_ENDPOINT_URL_S3;

/** The bucket every test uses; tests isolate themselves by prefix. */
export const TEST_BUCKET = process.env.LAZYSCRIBE_S3_TEST_BUCKET ?? "lazyscribe-test";

let shared: S3Client | undefined;

/** One client for the test server (endpoint and keys from the environment). */
export function testClient(): S3Client {
  return (shared ??= new S3Client({
    endpoint: process.env.AWS_ENDPOINT_URL_S3,
    region: process.env.AWS_REGION ?? "us-east-1",
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  }));
}

let counter = 0;

/** A fresh, unique prefix (`t-<pid>-<n>-<rand>`) inside the test bucket. */
export function uniquePrefix(tag = "t"): string {
  return `${tag}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** An S3Storage on a fresh prefix, and a cleanup that deletes everything under it. */
export function freshStorage(options: Partial<S3StorageOptions> = {}): { storage: S3Storage; prefix: string; cleanup: () => Promise<void> } {
  const prefix = options.prefix ?? uniquePrefix();
  const storage = new S3Storage({ bucket: TEST_BUCKET, client: testClient(), ...options, prefix });
  return { storage, prefix, cleanup: () => deletePrefix(TEST_BUCKET, `${prefix}/`) };
}

/** Delete every object under `prefix` (and every incomplete upload there). */
export async function deletePrefix(bucket: string, prefix: string): Promise<void> {
  const client = testClient();
  let token: string | undefined;
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    const keys = (res.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length > 0) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  // Parts of uploads a test left incomplete hold the server's memory too.
  await new S3Storage({ bucket, client, prefix }).abortIncompleteUploads({ before: new Date(Date.now() + 3600_000) });
}

/** Create a bucket (fine if it exists). */
export async function ensureBucket(bucket: string): Promise<void> {
  try {
    await testClient().send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw err;
  }
}

/** Remove an empty bucket. */
export async function removeBucket(bucket: string): Promise<void> {
  await deletePrefix(bucket, "");
  await testClient().send(new DeleteBucketCommand({ Bucket: bucket }));
}
