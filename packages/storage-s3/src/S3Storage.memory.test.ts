import { Readable } from "node:stream";
import { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { S3Storage } from "./S3Storage.js";

// A streamed write's memory is bounded by what it holds: one buffer, one part
// in flight. These tests run the real SDK middleware against a request handler
// that answers locally and records every request.

const MiB = 1024 * 1024;

interface Sent {
  method: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body: unknown;
  /** The body's bytes when it was sent (the buffer is reused afterwards). */
  copy?: Uint8Array;
}

function fakeServer(options: { failPart?: number } = {}) {
  const sent: Sent[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const xml = (s: string) => Readable.from([Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${s}`)]);
  const requestHandler = {
    async handle(request: { method: string; query?: Sent["query"]; headers: Record<string, string>; body?: unknown }) {
      const body = request.body;
      sent.push({
        method: request.method,
        query: { ...(request.query ?? {}) },
        headers: { ...request.headers },
        body,
        ...(body instanceof Uint8Array ? { copy: body.slice() } : {}),
      });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const q = request.query ?? {};
        const ok = (headers: Record<string, string> = {}, b: Readable = Readable.from([])) => ({ response: { statusCode: 200, headers, body: b } });
        if (request.method === "POST" && "uploads" in q) {
          return ok({}, xml("<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>"));
        }
        if (request.method === "POST") return ok({}, xml('<CompleteMultipartUploadResult><ETag>"m-2"</ETag></CompleteMultipartUploadResult>'));
        if (request.method === "PUT" && "partNumber" in q && Number(q.partNumber) === options.failPart) {
          return {
            response: { statusCode: 403, headers: {}, body: xml("<Error><Code>AccessDenied</Code><Message>no</Message></Error>") },
          };
        }
        if (request.method === "PUT") return ok({ etag: `"e${String(q.partNumber ?? "")}"` });
        if (request.method === "HEAD") return ok({ etag: '"m-2"', "content-length": "1", "last-modified": new Date().toUTCString() });
        return { response: { statusCode: 204, headers: {}, body: Readable.from([]) } };
      } finally {
        inFlight--;
      }
    },
  };
  const client = new S3Client({
    endpoint: "http://127.0.0.1:9",
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    requestHandler,
    maxAttempts: 1,
  });
  const storage = new S3Storage({
    bucket: "memory-test",
    client,
    // The local handler honours no preconditions (the Ceph tests cover them).
    unsafeUnconditionalWrites: true,
    multipartThreshold: 5 * MiB,
    partSize: 5 * MiB,
  });
  return { storage, sent, maxInFlight: () => maxInFlight };
}

/** `count` chunks of `size` bytes, each filled with its index. */
async function* chunks(count: number, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield new Uint8Array(size).fill(i % 251);
}

const parts = (sent: Sent[]) => sent.filter((s) => s.method === "PUT" && "partNumber" in s.query);

describe("S3Storage streamed writes hold one buffer", () => {
  it("says its bytes are remote, so lazyscribe hashes them on the calling thread (no helper thread's memory)", () => {
    expect(fakeServer().storage.remote).toBe(true);
  });

  it("sends every part from one reused buffer of partSize, one part at a time, then frees it", async () => {
    const { storage, sent, maxInFlight } = fakeServer();
    // 12 MiB in 1 MiB chunks: parts of 5, 5 and 2 MiB.
    await storage.write("big.bin", chunks(12, MiB), { ifNoneMatch: "*" });
    const ups = parts(sent);
    expect(ups.map((p) => (p.body as Uint8Array).byteOffset)).toEqual([0, 0, 0]);
    expect(ups.map((p) => p.copy!.byteLength)).toEqual([5 * MiB, 5 * MiB, 2 * MiB]);
    const buffers = new Set(ups.map((p) => (p.body as Uint8Array).buffer));
    expect(buffers.size).toBe(1);
    expect(maxInFlight()).toBe(1);
    // The bytes went up in order.
    const all = new Uint8Array(12 * MiB);
    let at = 0;
    for (const p of ups) {
      all.set(p.copy!, at);
      at += p.copy!.byteLength;
    }
    for (let i = 0; i < 12; i++) expect(all[i * MiB]).toBe(i);
    // Released once the upload is complete: nothing is left for a later full GC.
    expect([...buffers][0]!.byteLength).toBe(0);
  });

  it("sends parts without Expect: 100-continue (the SDK's default above 2 MB stays for other requests)", async () => {
    const { storage, sent } = fakeServer();
    await storage.write("big.bin", chunks(6, MiB), { ifNoneMatch: "*" });
    await storage.write("whole.bin", new Uint8Array(3 * MiB));
    expect(parts(sent).map((p) => p.headers.Expect ?? p.headers.expect)).toEqual([undefined, undefined]);
    const whole = sent.find((s) => s.method === "PUT" && !("partNumber" in s.query) && (s.copy?.byteLength ?? 0) === 3 * MiB);
    expect(whole?.headers.Expect ?? whole?.headers.expect).toBe("100-continue");
  });

  it("a stream of exactly the threshold goes in one PUT; one byte more goes in parts", async () => {
    const exact = fakeServer();
    await exact.storage.write("a.bin", chunks(5, MiB), { ifNoneMatch: "*" });
    expect(parts(exact.sent)).toHaveLength(0);
    expect(exact.sent.filter((s) => s.method === "PUT").map((s) => s.copy?.byteLength)).toEqual([5 * MiB]);

    const over = fakeServer();
    async function* plusOne(): AsyncGenerator<Uint8Array> {
      yield* chunks(5, MiB);
      yield new Uint8Array([7]);
    }
    await over.storage.write("b.bin", plusOne(), { ifNoneMatch: "*" });
    expect(parts(over.sent).map((p) => p.copy!.byteLength)).toEqual([5 * MiB, 1]);
    expect(parts(over.sent)[1]!.copy![0]).toBe(7);
  });

  it("chunks that straddle part boundaries are split exactly", async () => {
    const { storage, sent } = fakeServer();
    // 3 MiB chunks: parts of 5, 5, 2 MiB cut through chunks 2 and 4.
    await storage.write("odd.bin", chunks(4, 3 * MiB), { ifNoneMatch: "*" });
    const ups = parts(sent).map((p) => p.copy!);
    expect(ups.map((u) => u.byteLength)).toEqual([5 * MiB, 5 * MiB, 2 * MiB]);
    expect([ups[0]![3 * MiB - 1], ups[0]![3 * MiB], ups[1]![MiB - 1], ups[1]![MiB], ups[1]![4 * MiB], ups[2]![0]]).toEqual([0, 1, 1, 2, 3, 3]);
  });

  it("a failed part aborts the upload and leaves the buffer to the GC (a write may still hold it)", async () => {
    const { storage, sent } = fakeServer({ failPart: 2 });
    await expect(storage.write("big.bin", chunks(12, MiB), { ifNoneMatch: "*" })).rejects.toMatchObject({ code: "STORAGE_ACCESS_DENIED" });
    expect(sent.some((s) => s.method === "DELETE" && s.query.uploadId === "u1")).toBe(true);
    expect(sent.some((s) => s.method === "POST" && !("uploads" in s.query))).toBe(false);
    expect((parts(sent)[0]!.body as Uint8Array).buffer.byteLength).toBe(5 * MiB);
  });
});
