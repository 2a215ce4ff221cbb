import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Storage } from "./S3Storage.js";
import { freshStorage, s3Available, TEST_BUCKET, testClient } from "./testing/s3TestEnv.js";
import { startS3rver, type S3rver } from "./testing/s3rver.js";

const enc = new TextEncoder();

describe("a server without conditional writes (s3rver)", () => {
  let server: S3rver;
  beforeAll(async () => {
    server = await startS3rver();
  });
  afterAll(async () => server?.stop());

  const storageOn = (options: { unsafeUnconditionalWrites?: boolean } = {}): S3Storage =>
    new S3Storage({
      bucket: server.bucket,
      prefix: `p${Math.random().toString(36).slice(2)}`,
      client: new S3Client({
        endpoint: server.endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      }),
      ...options,
    });

  it("is refused with STORAGE_NO_CONDITIONAL_WRITES, and nothing is written", async () => {
    const storage = storageOn();
    await expect(storage.write("repository.json", "[]", { ifNoneMatch: "*" })).rejects.toMatchObject({
      code: "STORAGE_NO_CONDITIONAL_WRITES",
      message: expect.stringContaining("unsafeUnconditionalWrites"),
    });
    expect(await storage.list("")).toEqual([]);
  });

  it("is written to with unsafeUnconditionalWrites (Python-lazyscribe-level safety)", async () => {
    const storage = storageOn({ unsafeUnconditionalWrites: true });
    await storage.write("repository.json", "[]", { ifNoneMatch: "*" });
    expect(new TextDecoder().decode(await storage.read("repository.json"))).toBe("[]");
  });
});

describe.skipIf(!s3Available)("S3Storage on Ceph", () => {
  it("If-Match works although Ceph 16 compares the bare ETag (never an unconditional PUT)", async () => {
    const { storage, cleanup } = freshStorage();
    try {
      const v1 = await storage.write("m.json", "1");
      expect(v1.etag).toMatch(/^".+"$/);
      const v2 = await storage.write("m.json", "2", { ifMatch: v1.etag });
      await expect(storage.write("m.json", "3", { ifMatch: v1.etag })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      expect(new TextDecoder().decode(await storage.read("m.json"))).toBe("2");
      // The bare form is accepted as input too.
      await storage.write("m.json", "4", { ifMatch: v2.etag.slice(1, -1) });
      expect(new TextDecoder().decode(await storage.read("m.json"))).toBe("4");
    } finally {
      await cleanup();
    }
  });

  it("readWithEtag answers content and etag in one request", async () => {
    const { storage, cleanup } = freshStorage();
    try {
      const w = await storage.write("r.json", "hello");
      const before = storage.requests.count;
      const got = await storage.readWithEtag("r.json");
      expect(storage.requests.count - before).toBe(1);
      expect(got?.etag).toBe(w.etag);
      expect(await storage.readWithEtag("missing.json")).toBeNull();
    } finally {
      await cleanup();
    }
  });

  it("two streamed creates of one key above the multipart threshold: exactly one wins (Ceph ignores preconditions on CompleteMultipartUpload)", async () => {
    const { storage, cleanup } = freshStorage({ multipartThreshold: 5 << 20, partSize: 5 << 20 });
    try {
      async function* blob(fill: number): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 6; i++) yield new Uint8Array(1 << 20).fill(fill);
      }
      const results = await Promise.allSettled([1, 2].map((fill) => storage.write("same.bin", blob(fill), { ifNoneMatch: "*" })));
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "PRECONDITION_FAILED" } });
      const winner = results.findIndex((r) => r.status === "fulfilled") + 1;
      const got = await storage.read("same.bin");
      expect(got.byteLength).toBe(6 << 20);
      expect(got.every((b) => b === winner)).toBe(true);
      // And a later streamed create of the existing key is refused without touching it.
      await expect(storage.write("same.bin", blob(9), { ifNoneMatch: "*" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      expect((await storage.read("same.bin")).every((b) => b === winner)).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it("a manifest far above the multipart threshold is still committed by one conditional PUT", async () => {
    const { storage, cleanup } = freshStorage({ multipartThreshold: 5 << 20, partSize: 5 << 20 });
    try {
      const v1 = await storage.write("repository.json", new Uint8Array(6 << 20).fill(1));
      const before = storage.requests.count;
      await storage.write("repository.json", new Uint8Array(6 << 20).fill(2), { ifMatch: v1.etag });
      expect(storage.requests.count - before).toBe(1);
      await expect(storage.write("repository.json", new Uint8Array(6 << 20).fill(3), { ifMatch: v1.etag })).rejects.toMatchObject({
        code: "PRECONDITION_FAILED",
      });
      expect((await storage.read("repository.json"))[0]).toBe(2);
    } finally {
      await cleanup();
    }
  });

  it("a streamed replace above the threshold is one conditional PUT: a commit that lands while it streams wins, nothing is left behind", async () => {
    const { storage, cleanup } = freshStorage({ multipartThreshold: 5 << 20, partSize: 5 << 20 });
    try {
      const v1 = await storage.write("model.bin", "v1");
      // While the replace streams its bytes, another writer commits: Ceph 16
      // ignores If-Match on CompleteMultipartUpload, so only the final single
      // conditional PUT can notice.
      async function* racing(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 12; i++) {
          if (i === 8) await storage.write("model.bin", "other writer", { ifMatch: v1.etag });
          yield new Uint8Array(1 << 20).fill(7);
        }
      }
      await expect(storage.write("model.bin", racing(), { ifMatch: v1.etag })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      expect(new TextDecoder().decode(await storage.read("model.bin"))).toBe("other writer");
      expect(await storage.list("")).toEqual(["model.bin"]);
      expect(await storage.abortIncompleteUploads({ before: new Date(Date.now() + 60_000), dryRun: true })).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it("a streamed replace above the threshold with the current etag replaces the content exactly", async () => {
    const { storage, cleanup } = freshStorage({ multipartThreshold: 5 << 20, partSize: 5 << 20 });
    try {
      const v1 = await storage.write("model.bin", "v1");
      async function* numbered(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 11; i++) yield new Uint8Array(1 << 20).fill(i);
      }
      const v2 = await storage.write("model.bin", numbered(), { ifMatch: v1.etag });
      const got = await storage.read("model.bin");
      expect(got.byteLength).toBe(11 << 20);
      for (let i = 0; i < 11; i++) expect(got.subarray(i << 20, (i + 1) << 20).every((b) => b === i)).toBe(true);
      expect(v2).toMatchObject({ size: 11 << 20, etag: (await storage.stat("model.bin"))?.etag });
      expect(await storage.list("")).toEqual(["model.bin"]);
      // A stale etag is refused before a byte is sent.
      const before = storage.requests.bytesUp;
      await expect(storage.write("model.bin", numbered(), { ifMatch: v1.etag })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      expect(storage.requests.bytesUp).toBe(before);
    } finally {
      await cleanup();
    }
  });

  it("a streamed replace larger than one PUT may carry is refused (STORAGE_TOO_LARGE), leaving the object as it was", async () => {
    const { storage, cleanup } = freshStorage({ multipartThreshold: 5 << 20, partSize: 5 << 20, maxPutSize: 6 << 20 });
    try {
      const v1 = await storage.write("model.bin", "v1");
      async function* big(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 12; i++) yield new Uint8Array(1 << 20);
      }
      await expect(storage.write("model.bin", big(), { ifMatch: v1.etag })).rejects.toMatchObject({ code: "STORAGE_TOO_LARGE" });
      expect(new TextDecoder().decode(await storage.read("model.bin"))).toBe("v1");
      expect(await storage.list("")).toEqual(["model.bin"]);
      expect(await storage.abortIncompleteUploads({ before: new Date(Date.now() + 60_000), dryRun: true })).toEqual([]);
      // Creates have no such limit.
      await storage.write("new.bin", big(), { ifNoneMatch: "*" });
      expect((await storage.stat("new.bin"))?.size).toBe(12 << 20);
    } finally {
      await cleanup();
    }
  });

  it("copies are server-side, also creates (ifNoneMatch); two copy-creates of one key: exactly one wins", async () => {
    const { storage, cleanup } = freshStorage();
    try {
      await storage.write("a.bin", new Uint8Array(3 << 20).fill(1));
      await storage.write("b.bin", new Uint8Array(3 << 20).fill(2));
      const before = { ...storage.requests };
      const results = await Promise.allSettled(["a.bin", "b.bin"].map((from) => storage.copy(from, "promoted.bin", { ifNoneMatch: "*" })));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "PRECONDITION_FAILED" } });
      const winner = results.findIndex((r) => r.status === "fulfilled") + 1;
      const got = await storage.read("promoted.bin");
      expect(got.byteLength).toBe(3 << 20);
      expect(got.every((b) => b === winner)).toBe(true);
      // No byte of the copies passed through this process.
      expect(storage.requests.bytesUp - before.bytesUp).toBe(0);
      expect(storage.requests.bytesDown - before.bytesDown).toBe(3 << 20);
      expect(await storage.list("")).toEqual(["a.bin", "b.bin", "promoted.bin"]);
    } finally {
      await cleanup();
    }
  });

  it("a copy above maxPutSize (CopyObject's limit) goes in parts by byte range, server-side", async () => {
    const { storage, cleanup } = freshStorage({ multipartThreshold: 5 << 20, partSize: 5 << 20, maxPutSize: 6 << 20 });
    try {
      const size = (11 << 20) + 3;
      const data = new Uint8Array(size);
      for (let i = 0; i < size; i += 4096) data[i] = (i >> 12) & 0xff;
      await storage.write("big.bin", data);
      const before = { ...storage.requests };
      const copied = await storage.copy("big.bin", "copy.bin", { ifNoneMatch: "*" });
      // HEAD of the source, the claim, create, 3 part copies, complete, HEAD of the result.
      expect(storage.requests.count - before.count).toBe(8);
      expect(storage.requests.bytesUp - before.bytesUp).toBe(0);
      expect(copied).toMatchObject({ size, etag: (await storage.stat("copy.bin"))?.etag });
      const got = await storage.read("copy.bin");
      expect(got.byteLength).toBe(size);
      expect(Buffer.compare(got, data)).toBe(0);
      await expect(storage.copy("big.bin", "copy.bin", { ifNoneMatch: "*" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
      expect(await storage.abortIncompleteUploads({ before: new Date(Date.now() + 60_000), dryRun: true })).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it("a failed multipart upload leaves no object and no incomplete upload", async () => {
    const { storage, cleanup } = freshStorage({ multipartThreshold: 5 << 20, partSize: 5 << 20 });
    try {
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield new Uint8Array(6 << 20);
        throw new Error("source failed");
      }
      await expect(storage.write("big.bin", failing(), { ifNoneMatch: "*" })).rejects.toThrow("source failed");
      expect(await storage.stat("big.bin")).toBeNull();
      expect(await storage.abortIncompleteUploads({ before: new Date(Date.now() + 60_000), dryRun: true })).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it("abortIncompleteUploads removes uploads older than the cut-off only", async () => {
    const { storage, cleanup } = freshStorage();
    const { CreateMultipartUploadCommand } = await import("@aws-sdk/client-s3");
    try {
      await testClient().send(new CreateMultipartUploadCommand({ Bucket: TEST_BUCKET, Key: `${storage.prefix}a/left.bin` }));
      expect(await storage.abortIncompleteUploads({ before: new Date(Date.now() - 3600_000) })).toEqual([]);
      expect(await storage.cleanupIncomplete({ before: new Date(Date.now() + 60_000), dryRun: false })).toEqual(["a/left.bin"]);
      expect(await storage.abortIncompleteUploads({ before: new Date(Date.now() + 60_000), dryRun: true })).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it("a wrong bucket and wrong credentials give typed errors", async () => {
    const wrongBucket = new S3Storage({ bucket: "no-such-bucket-lz", client: testClient() });
    await expect(wrongBucket.stat("repository.json")).rejects.toMatchObject({ code: "STORAGE_NO_BUCKET" });
    await expect(wrongBucket.read("repository.json")).rejects.toMatchObject({ code: "STORAGE_NO_BUCKET" });
    const badKeys = new S3Storage({
      bucket: TEST_BUCKET,
      client: new S3Client({
        endpoint: process.env.AWS_ENDPOINT_URL_S3,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "nobody", secretAccessKey: "wrong" },
      }),
    });
    await expect(badKeys.read("x.json")).rejects.toMatchObject({ code: "STORAGE_CREDENTIALS" });
    await expect(badKeys.write("x.json", enc.encode("x"))).rejects.toMatchObject({ code: "STORAGE_CREDENTIALS" });
  });

  it("an unreachable endpoint gives STORAGE_UNREACHABLE", async () => {
    const storage = new S3Storage({
      bucket: TEST_BUCKET,
      endpoint: "http://127.0.0.1:1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    await expect(storage.read("x.json")).rejects.toMatchObject({ code: "STORAGE_UNREACHABLE", message: expect.stringContaining("127.0.0.1:1") });
  });
});
