import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import {
  normalizeKey,
  PreconditionFailedError,
  StorageNotFoundError,
  type ByteStream,
  type StorageBackend,
  type StorageStat,
  type WritableData,
  type WriteOptions,
} from "@lazyscribe/core/internal";
import { S3StorageError, nameOf, statusOf, toStorageError } from "./S3StorageError.js";
import { ByteReader } from "./byteChunks.js";

const MiB = 1024 * 1024;
const CLIENT_ENDPOINT = "the S3 client's endpoint";

/** Options of {@link S3Storage}. */
export interface S3StorageOptions {
  /** The bucket. */
  bucket: string;
  /** Key prefix (a folder inside the bucket), such as `"models"`; `""` for the bucket root. */
  prefix?: string;
  /** Use this client instead of building one (its endpoint, region and credentials win). */
  client?: S3Client;
  /** `https://…` of an S3-compatible server; default: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, else AWS. */
  endpoint?: string;
  /** Default: `AWS_REGION`, the profile's region, else `us-east-1`. */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default true when an endpoint is set. */
  forcePathStyle?: boolean;
  /** Default: the SDK's chain (env, `AWS_PROFILE`, SSO, instance roles). */
  credentials?: S3ClientConfig["credentials"];
  /**
   * Write to a server that ignores `If-Match` / `If-None-Match`. Concurrent
   * writers can then lose each other's versions, exactly as Python lazyscribe
   * on s3fs does. Off by default: such a server is refused.
   */
  unsafeUnconditionalWrites?: boolean;
  /** Streams larger than this go up in parts (default 8 MiB; at least 5 MiB). Bytes in memory always go in one PUT. */
  multipartThreshold?: number;
  /**
   * The largest object one `PutObject` or `CopyObject` may carry (default
   * 5 GiB, S3's limit; some servers set a lower one, e.g. Ceph's
   * `rgw_max_put_size`). It bounds a streamed conditional replace (`ifMatch`),
   * which must end in one PUT; `copy` above it copies in parts, server-side.
   */
  maxPutSize?: number;
  /** Size of each part (default 8 MiB; at least 5 MiB). A streamed write holds one buffer of this size (or of the threshold, if larger), sending one part at a time. */
  partSize?: number;
}

/** How the server compares `If-Match`: with the ETag quoted as it returns it (AWS), or bare (Ceph 16). */
type IfMatchStyle = "quoted" | "bare" | "unconditional";

// One probe per endpoint+bucket per process.
const probes = new Map<string, Promise<IfMatchStyle>>();

/**
 * A {@link StorageBackend} on S3 or any S3-compatible server (Ceph RGW, MinIO,
 * Cloudflare R2). Manifests are committed by compare-and-swap (`If-Match` /
 * `If-None-Match: *` on `PutObject`), artifact files are created with
 * `If-None-Match: *` and never overwritten; no lock objects. Keys are the same
 * as Python lazyscribe on s3fs: `s3://bucket/prefix/<name>/<fname>`.
 *
 * On first write it checks once (per endpoint and bucket) that the server
 * honours conditional writes, and refuses one that does not, unless
 * `unsafeUnconditionalWrites` is set.
 *
 * @example
 * import { Repository } from "lazyscribe";
 * import { S3Storage } from "@lazyscribe/storage-s3";
 *
 * const storage = new S3Storage({ bucket: "ml", prefix: "models", endpoint: "http://127.0.0.1:9000" });
 * const repo = await Repository.open("repository.json", { storage, mode: "w+" });
 */
export class S3Storage implements StorageBackend {
  readonly description: string;
  /** Bytes travel over the network: lazyscribe hashes them on the calling thread (see `StorageBackend.remote`). */
  readonly remote = true;
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
  /** What requests went out (for benchmarks and cost checks). */
  readonly requests = { count: 0, bytesUp: 0, bytesDown: 0 };
  private readonly endpointLabel: string;
  private readonly threshold: number;
  private readonly partSize: number;
  private readonly maxPutSize: number;
  private readonly unsafe: boolean;
  private bucketChecked = false;

  constructor(options: S3StorageOptions) {
    if (!options || typeof options.bucket !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
      throw new S3StorageError("STORAGE_ERROR", `invalid bucket name ${JSON.stringify(options?.bucket)}`, String(options?.bucket), undefined);
    }
    this.bucket = options.bucket;
    const prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    if (prefix) normalizeKey(prefix);
    this.prefix = prefix ? `${prefix}/` : "";
    const endpoint = options.endpoint ?? env("AWS_ENDPOINT_URL_S3") ?? env("AWS_ENDPOINT_URL");
    this.client =
      options.client ??
      new S3Client({
        ...(endpoint ? { endpoint } : {}),
        region: options.region ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? "us-east-1",
        forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
        ...(options.credentials ? { credentials: options.credentials } : {}),
        // Only checksum when the operation requires it: RGW and R2 reject some
        // of the newer default (CRC32) trailers.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
    this.endpointLabel = endpoint ?? (options.client ? CLIENT_ENDPOINT : "AWS S3");
    this.threshold = Math.max(5 * MiB, options.multipartThreshold ?? 8 * MiB);
    this.partSize = Math.max(5 * MiB, options.partSize ?? 8 * MiB);
    this.maxPutSize = Math.max(this.threshold, Math.min(MAX_PUT_BYTES, options.maxPutSize ?? MAX_PUT_BYTES));
    this.unsafe = options.unsafeUnconditionalWrites === true;
    this.description = `s3://${this.bucket}${this.prefix ? `/${this.prefix.slice(0, -1)}` : ""}`;
  }

  async read(key: string): Promise<Uint8Array> {
    const k = this.full(key);
    const res = await this.send("read", key, () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: k })));
    try {
      const bytes = await res.Body!.transformToByteArray();
      this.requests.bytesDown += bytes.byteLength;
      return bytes;
    } catch (err) {
      throw toStorageError(err, this.place(key), "read");
    }
  }

  /** One GET: the content and the ETag of exactly those bytes (null when missing). */
  async readWithEtag(key: string): Promise<{ data: Uint8Array; etag: string } | null> {
    const k = this.full(key);
    let res;
    try {
      res = await this.send("read", key, () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: k })));
    } catch (err) {
      if (err instanceof StorageNotFoundError) {
        await this.checkBucket();
        return null;
      }
      throw err;
    }
    try {
      const data = await res.Body!.transformToByteArray();
      this.requests.bytesDown += data.byteLength;
      return { data, etag: res.ETag ? quoted(res.ETag) : (await this.statOrThrow(key)).etag };
    } catch (err) {
      throw toStorageError(err, this.place(key), "read");
    }
  }

  async readStream(key: string): Promise<ByteStream> {
    const k = this.full(key);
    const res = await this.send("read", key, () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: k })));
    // Pull from the body's own async iterator (a Node stream in Node): one
    // chunk per pull, so a slow consumer holds back the download. (Node 20's
    // Readable.toWeb, behind transformToWebStream, buffers without limit.)
    const body = res.Body as unknown as AsyncIterable<Uint8Array> | undefined;
    const iterator = body && Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : (res.Body!.transformToWebStream() as ByteStream).values();
    const counter = this.requests;
    const place = this.place(key);
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const { value, done } = await iterator.next();
            if (done) controller.close();
            else {
              const chunk = value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
              counter.bytesDown += chunk.byteLength;
              controller.enqueue(chunk);
            }
          } catch (err) {
            controller.error(toStorageError(err, place, "read"));
          }
        },
        async cancel(reason) {
          await iterator.return?.(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }

  async write(key: string, data: WritableData, options: WriteOptions = {}): Promise<StorageStat> {
    const k = this.full(key);
    const style = await this.conditionalStyle();
    // Bytes already in memory always go up in one PUT (up to S3's 5 GiB), so
    // manifests are committed by a single conditional request.
    if (typeof data === "string" || data instanceof Uint8Array) {
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
      return this.putWhole(key, k, bytes, options, style);
    }
    const reader = new ByteReader(data);
    try {
      // One buffer both decides (one PUT up to the threshold) and carries
      // every part, so no first-bytes copy is made and dropped; sized to whole
      // parts, it takes whole source chunks, none held across an upload.
      const buffer = new Uint8Array(Math.max(this.partSize, this.threshold));
      const length = await reader.fill(buffer);
      const stat =
        length <= this.threshold && (length < buffer.byteLength || (await reader.atEnd()))
          ? await this.putWhole(key, k, buffer.subarray(0, length), options, style)
          : options.ifMatch !== undefined && style !== "unconditional"
            ? await this.replaceStaged(key, k, buffer, length, reader, options, style)
            : await this.putMultipart(key, k, buffer, length, reader, options, style);
      // Every request is answered, so nothing reads the buffer any more.
      release(buffer);
      return stat;
    } catch (err) {
      await reader.close().catch(() => undefined);
      throw err;
    }
  }

  async stat(key: string): Promise<StorageStat | null> {
    const k = this.full(key);
    try {
      this.requests.count++;
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: k }));
      return { size: Number(res.ContentLength ?? 0), etag: res.ETag ? quoted(res.ETag) : "", mtime: res.LastModified ?? new Date(0) };
    } catch (err) {
      const mapped = toStorageError(err, this.place(key), "stat");
      if (mapped instanceof StorageNotFoundError) {
        // A HEAD of a missing bucket is a bare 404 too: tell the two apart once.
        await this.checkBucket();
        return null;
      }
      throw mapped;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.send("list", prefix, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }),
        ),
      );
      for (const o of res.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key.slice(this.prefix.length));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async delete(key: string): Promise<void> {
    const k = this.full(key);
    await this.send("delete", key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: k })));
  }

  async copy(from: string, to: string, options: WriteOptions = {}): Promise<StorageStat> {
    const src = this.full(from);
    const dst = this.full(to);
    const style = await this.conditionalStyle();
    const { size } = await this.statOrThrow(from);
    if (options.ifMatch !== undefined) {
      // A conditional replace must be one conditional PUT (see replaceStaged): streamed from the source.
      if (size > this.maxPutSize) throw tooLarge(this.bucket, dst, this.maxPutSize);
      return this.putFromObject(to, dst, src, size, options, style);
    }
    // Some servers (Ceph 16) ignore preconditions on CopyObject too: the
    // server-side copy lands over a claim (see claimForCreate).
    const claimed = await this.claimForCreate(to, dst, options, style);
    try {
      if (size > this.maxPutSize) return await this.copyMultipart(to, dst, src, size);
      const res = await this.send("copy", to, () =>
        this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: dst, CopySource: copySource(this.bucket, src) })),
      );
      const etag = res.CopyObjectResult?.ETag;
      return { size, etag: etag ? quoted(etag) : (await this.statOrThrow(to)).etag, mtime: res.CopyObjectResult?.LastModified ?? new Date() };
    } catch (err) {
      if (claimed) await this.deleteQuietly(dst);
      throw err;
    }
  }

  /** A server-side copy above `maxPutSize` (CopyObject's 5 GiB): `UploadPartCopy` by byte ranges. */
  private async copyMultipart(to: string, dst: string, src: string, size: number): Promise<StorageStat> {
    const created = await this.send("copy", to, () => this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: dst })));
    const uploadId = created.UploadId!;
    // At most 10,000 parts; nothing passes through this process, so big parts cost no memory.
    const partSize = Math.max(this.partSize, Math.ceil(size / 10_000));
    const parts: { ETag: string; PartNumber: number }[] = [];
    try {
      for (let n = 1, start = 0; start < size; n++, start += partSize) {
        const range = `bytes=${start}-${Math.min(size, start + partSize) - 1}`;
        const res = await this.send("copy", to, () =>
          this.client.send(
            new UploadPartCopyCommand({ Bucket: this.bucket, Key: dst, UploadId: uploadId, PartNumber: n, CopySource: copySource(this.bucket, src), CopySourceRange: range }),
          ),
        );
        parts.push({ ETag: res.CopyPartResult!.ETag!, PartNumber: n });
      }
      await this.send("copy", to, () =>
        this.client.send(
          new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: dst, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
        ),
      );
    } catch (err) {
      await this.abortQuietly(dst, uploadId);
      throw err;
    }
    const st = await this.statOrThrow(to);
    return { size, etag: st.etag, mtime: st.mtime };
  }

  /**
   * Abort multipart uploads under this prefix started before `before` (left by
   * crashed or failed writers), unless `dryRun`. Returns their keys.
   *
   * @example
   * await storage.abortIncompleteUploads({ before: new Date(Date.now() - 3600_000) });
   */
  async abortIncompleteUploads(options: { before: Date; dryRun?: boolean }): Promise<string[]> {
    const found: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const res = await this.send("list uploads", "", () =>
        this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        ),
      );
      for (const u of res.Uploads ?? []) {
        if (!u.Key || !u.UploadId || !u.Initiated || u.Initiated.getTime() >= options.before.getTime()) continue;
        found.push(u.Key.slice(this.prefix.length));
        if (!options.dryRun) {
          await this.send("abort upload", u.Key, () =>
            this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId })),
          );
        }
      }
      if (!res.IsTruncated) break;
      keyMarker = res.NextKeyMarker;
      uploadIdMarker = res.NextUploadIdMarker;
    }
    return found.sort();
  }

  /** `StorageBackend` hook used by `Repository.gc`: incomplete uploads are orphans too. */
  async cleanupIncomplete(options: { before: Date; dryRun: boolean }): Promise<string[]> {
    return this.abortIncompleteUploads(options);
  }

  // ------------------------------------------------------------------ writes

  private async putWhole(key: string, k: string, body: Uint8Array, options: WriteOptions, style: IfMatchStyle): Promise<StorageStat> {
    const res = await this.send("write", key, () =>
      this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: k, Body: body, ContentLength: body.byteLength, ...this.conditions(options, style) }),
      ),
      body.byteLength,
      options,
    );
    return { size: body.byteLength, etag: res.ETag ? quoted(res.ETag) : (await this.statOrThrow(key)).etag, mtime: new Date() };
  }

  private async putMultipart(
    key: string,
    k: string,
    buffer: Uint8Array<ArrayBuffer>,
    buffered: number,
    rest: ByteReader,
    options: WriteOptions,
    style: IfMatchStyle,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<StorageStat> {
    const claimed = await this.claimForCreate(key, k, options, style);
    const created = await this.send("write", key, () =>
      this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: k })),
    );
    const uploadId = created.UploadId!;
    const parts: { ETag: string; PartNumber: number }[] = [];
    let size = 0;
    try {
      // The one buffer is reused for every part: memory stays at one part
      // however long the stream. Bytes not sent yet are buffer[start, end).
      let start = 0;
      let end = buffered;
      let ended = false;
      for (let n = 1; ; n++) {
        if (end - start < this.partSize && !ended) {
          buffer.copyWithin(0, start, end);
          end -= start;
          start = 0;
          const got = await rest.fill(buffer.subarray(end, this.partSize));
          ended = end + got < this.partSize;
          end += got;
        }
        const length = Math.min(this.partSize, end - start);
        if (length === 0) break;
        if (size + length > limit) throw tooLarge(this.bucket, k, limit);
        const part = buffer.subarray(start, start + length);
        const res = await this.send("write", key, () =>
          this.client.send(
            withoutExpectContinue(
              new UploadPartCommand({ Bucket: this.bucket, Key: k, UploadId: uploadId, PartNumber: n, Body: part, ContentLength: length }),
            ),
          ),
          length,
        );
        parts.push({ ETag: res.ETag!, PartNumber: n });
        size += length;
        start += length;
        if (ended && start === end) break;
      }
      await this.send(
        "write",
        key,
        () =>
          this.client.send(
            new CompleteMultipartUploadCommand({
              Bucket: this.bucket,
              Key: k,
              UploadId: uploadId,
              MultipartUpload: { Parts: parts },
              ...(claimed ? {} : this.conditions(options, style)),
            }),
          ),
        0,
        options,
      );
    } catch (err) {
      await this.abortQuietly(k, uploadId);
      if (claimed) await this.deleteQuietly(k);
      throw err;
    }
    // Some servers (Ceph 16) return an empty ETag from CompleteMultipartUpload.
    const st = await this.statOrThrow(key);
    return { size, etag: st.etag, mtime: st.mtime };
  }

  /**
   * A streamed replace (`ifMatch`) above the threshold. Some servers (Ceph 16)
   * ignore preconditions on `CompleteMultipartUpload`, and one `PutObject`
   * needs its length up front. So the stream goes up in parts to a scratch
   * `.lztmp` key beside the target, and the target is then replaced by one
   * conditional `PutObject` streamed from that scratch object: as atomic as a
   * manifest commit, in the same bounded memory, at the cost of sending the
   * bytes twice (lazyscribe itself replaces only manifests, from memory).
   * Above `maxPutSize` (5 GiB) such a replace cannot be made atomic: refused
   * with `STORAGE_TOO_LARGE`.
   */
  private async replaceStaged(
    key: string,
    k: string,
    buffer: Uint8Array<ArrayBuffer>,
    buffered: number,
    rest: ByteReader,
    options: WriteOptions,
    style: IfMatchStyle,
  ): Promise<StorageStat> {
    // Fail before sending anything when the precondition already does not hold.
    const current = await this.stat(key);
    if (!current || bare(current.etag) !== bare(options.ifMatch ?? "")) throw new PreconditionFailedError(key);
    const slash = key.lastIndexOf("/");
    const scratch = `${key.slice(0, slash + 1)}.${key.slice(slash + 1)}.${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.lztmp`;
    const s = this.full(scratch);
    try {
      const staged = await this.putMultipart(scratch, s, buffer, buffered, rest, {}, style, this.maxPutSize);
      return await this.putFromObject(key, k, s, staged.size, options, style);
    } finally {
      await this.deleteQuietly(s);
    }
  }

  /**
   * Write `key` by one (conditional) `PutObject` whose body streams from the
   * object `from` (full key, `size` bytes): the atomic replace of
   * `replaceStaged` and of a conditional `copy`, in bounded memory.
   */
  private async putFromObject(key: string, k: string, from: string, size: number, options: WriteOptions, style: IfMatchStyle): Promise<StorageStat> {
    const got = await this.send("read", key, () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: from })));
    this.requests.bytesDown += size;
    try {
      const res = await this.send(
        "write",
        key,
        () =>
          this.client.send(
            withoutStreamFailureWarning(
              new PutObjectCommand({ Bucket: this.bucket, Key: k, Body: got.Body, ContentLength: size, ...this.conditions(options, style) }),
            ),
          ),
        size,
        options,
      );
      return { size, etag: res.ETag ? quoted(res.ETag) : (await this.statOrThrow(key)).etag, mtime: new Date() };
    } catch (err) {
      // A refused PUT may leave the download unread: close it rather than hold its connection.
      (got.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw err;
    }
  }

  /**
   * Some servers (Ceph 16) ignore preconditions on `CompleteMultipartUpload`
   * and `CopyObject`. A create (`ifNoneMatch`) that ends in one of those
   * therefore first claims the key with an empty object by a conditional
   * single PUT, which every supported server honours; only then does the
   * content land over it. A crash in between leaves that empty, unreferenced
   * object for `gc`. True when it claimed (the caller deletes the claim if it fails).
   */
  private async claimForCreate(key: string, k: string, options: WriteOptions, style: IfMatchStyle): Promise<boolean> {
    if (options.ifNoneMatch !== "*" || style === "unconditional") return false;
    await this.putWhole(key, k, new Uint8Array(0), { ifNoneMatch: "*" }, style);
    return true;
  }

  /** Best-effort cleanup after a failure (full key): the failure is what the caller reports. */
  private async deleteQuietly(k: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: k })).catch(() => undefined);
  }

  private async abortQuietly(k: string, uploadId: string): Promise<void> {
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: k, UploadId: uploadId })).catch(() => undefined);
  }

  private conditions(options: WriteOptions, style: IfMatchStyle): { IfMatch?: string; IfNoneMatch?: string } {
    if (style === "unconditional") return {};
    const out: { IfMatch?: string; IfNoneMatch?: string } = {};
    if (options.ifNoneMatch === "*") out.IfNoneMatch = "*";
    if (options.ifMatch !== undefined) out.IfMatch = style === "bare" ? bare(options.ifMatch) : quoted(options.ifMatch);
    return out;
  }

  /**
   * Check once per endpoint+bucket that the server honours conditional PUTs,
   * and how it compares `If-Match` (quoted, as AWS documents, or bare, as
   * Ceph 16 does). A server that ignores them is refused.
   */
  private conditionalStyle(): Promise<IfMatchStyle> {
    if (this.unsafe) return Promise.resolve("unconditional");
    const endpoint = this.endpointLabel === CLIENT_ENDPOINT ? clientId(this.client) : this.endpointLabel;
    const id = `${endpoint}|${this.bucket}`;
    let p = probes.get(id);
    if (!p) {
      p = this.probe();
      probes.set(id, p);
      p.catch(() => probes.delete(id));
    }
    return p;
  }

  private async probe(): Promise<IfMatchStyle> {
    // A `.lztmp` name: if the writer dies mid-probe, `gc` removes the leftover like any temp file.
    const key = `.lazyscribe-probe-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.lztmp`;
    const k = this.prefix + key;
    const put = async (headers: { IfMatch?: string; IfNoneMatch?: string }): Promise<{ etag?: string; status: number }> => {
      try {
        this.requests.count++;
        const res = await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: k, Body: "probe", ContentLength: 5, ...headers }));
        return { etag: res.ETag, status: 200 };
      } catch (err) {
        const status = statusOf(err);
        if (status === 412 || status === 409 || status === 501 || nameOf(err) === "NotImplemented") return { status: status ?? 501 };
        throw toStorageError(err, this.place(key), "write");
      }
    };
    const refuse = (why: string): S3StorageError =>
      new S3StorageError(
        "STORAGE_NO_CONDITIONAL_WRITES",
        `${this.endpointLabel} does not support conditional writes (${why}), so concurrent saves to s3://${this.bucket}/${this.prefix} could lose versions; use a server that honours If-Match / If-None-Match (AWS S3, Ceph RGW, MinIO, R2), or pass { unsafeUnconditionalWrites: true } to accept Python-lazyscribe-level safety`,
        this.bucket,
        undefined,
      );
    try {
      const created = await put({ IfNoneMatch: "*" });
      if (created.status !== 200) throw refuse(`If-None-Match on a new key answered ${created.status}`);
      const again = await put({ IfNoneMatch: "*" });
      if (again.status === 200) throw refuse("If-None-Match: * on an existing key was ignored");
      const etag = created.etag ?? "";
      const wrong = await put({ IfMatch: '"0123456789abcdef0123456789abcdef"' });
      if (wrong.status === 200) throw refuse("If-Match with a wrong ETag was ignored");
      if ((await put({ IfMatch: quoted(etag) })).status === 200) return "quoted";
      if ((await put({ IfMatch: bare(etag) })).status === 200) return "bare";
      throw refuse("If-Match with the current ETag was refused");
    } finally {
      await this.deleteQuietly(k);
    }
  }

  // ----------------------------------------------------------------- helpers

  private full(key: string): string {
    return this.prefix + normalizeKey(key);
  }

  private place(key: string): { bucket: string; key: string; endpoint: string } {
    return { bucket: this.bucket, key: this.prefix + key, endpoint: this.endpointLabel };
  }

  private async statOrThrow(key: string): Promise<StorageStat> {
    const st = await this.stat(key);
    if (!st) throw new StorageNotFoundError(key, `s3://${this.bucket}/${this.prefix}${key} does not exist`);
    return st;
  }

  private async checkBucket(): Promise<void> {
    if (this.bucketChecked) return;
    try {
      this.requests.count++;
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      this.bucketChecked = true;
    } catch (err) {
      if (statusOf(err) === 404) {
        throw new S3StorageError(
          "STORAGE_NO_BUCKET",
          `bucket "${this.bucket}" does not exist at ${this.endpointLabel}; create it or fix the location`,
          this.bucket,
          undefined,
          { cause: err },
        );
      }
      throw toStorageError(err, { bucket: this.bucket, endpoint: this.endpointLabel }, "check bucket");
    }
  }

  private async send<T>(operation: string, key: string, call: () => Promise<T>, bytesUp = 0, options?: WriteOptions): Promise<T> {
    this.requests.count++;
    this.requests.bytesUp += bytesUp;
    try {
      return await call();
    } catch (err) {
      // AWS answers 404 to If-Match on a missing key (Ceph 16: 412): both mean the precondition failed.
      if (options?.ifMatch !== undefined && statusOf(err) === 404 && nameOf(err) !== "NoSuchBucket") {
        throw new PreconditionFailedError(key);
      }
      throw toStorageError(err, this.place(key), operation);
    }
  }
}

/**
 * Free a part buffer's memory now rather than at some later full GC. It lived
 * through the whole upload, so V8 moved it to the old generation, where a dead
 * buffer waits for a major GC while the next stream's garbage piles up on top
 * (a load right after a save peaked that much higher). Transferring it hands
 * the memory to a fresh, unreferenced ArrayBuffer, which the next minor GC
 * frees. Only for a buffer nothing reads any more.
 */
function release(buffer: Uint8Array<ArrayBuffer>): void {
  try {
    structuredClone(buffer.buffer, { transfer: [buffer.buffer] });
  } catch {
    // No structuredClone transfer here: the GC frees it in its own time.
  }
}

/**
 * Send a part without `Expect: 100-continue` (which the SDK adds above 2 MB):
 * with it, the SDK's Node handler opens a throwaway agent and connection per
 * request and waits a round trip before sending, so a GiB of 8 MiB parts made
 * 128 new connections. A part carries no precondition for the server to
 * refuse early.
 */
function withoutExpectContinue(command: UploadPartCommand): UploadPartCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers;
      if (headers) {
        delete headers.Expect;
        delete headers.expect;
      }
      return next(args);
    },
    { step: "finalizeRequest", name: "lazyscribeNoExpectContinue" },
  );
  return command;
}

/** `PutObject`'s limit: the largest object one (conditional) request can write. */
const MAX_PUT_BYTES = 5 * 1024 * MiB;

function tooLarge(bucket: string, key: string, limit: number): S3StorageError {
  return new S3StorageError(
    "STORAGE_TOO_LARGE",
    `cannot replace s3://${bucket}/${key} conditionally (If-Match) with more than ${limit} bytes: one PutObject, the only atomic conditional replace every server honours, carries at most that (maxPutSize); write a new key instead (creates have no such limit)`,
    bucket,
    key,
  );
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The SDK's retry middleware prints "An error was encountered in a
 * non-retryable streaming request" to the console whenever a streamed body's
 * request fails, when the client has no logger of its own. A 412 there is an
 * expected answer that becomes a typed error; nothing should be printed.
 */
function withoutStreamFailureWarning(command: PutObjectCommand): PutObjectCommand {
  command.middlewareStack.add(
    (next, context) => (args) => {
      if (!context.logger || context.logger.constructor?.name === "NoOpLogger") context.logger = quiet;
      return next(args);
    },
    { step: "initialize", name: "lazyscribeQuietStreamFailure" },
  );
  return command;
}

function env(name: string): string | undefined {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return v ? v : undefined;
}

function bare(etag: string): string {
  return etag.replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

function quoted(etag: string): string {
  return `"${bare(etag)}"`;
}

function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

const clientIds = new WeakMap<S3Client, string>();
let nextClientId = 0;
function clientId(client: S3Client): string {
  let id = clientIds.get(client);
  if (!id) {
    id = `client#${++nextClientId}`;
    clientIds.set(client, id);
  }
  return id;
}

