import { randomBytes } from "node:crypto";
import { constants, type BigIntStats } from "node:fs";
import * as fsp from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import {
  InvalidNameError,
  LazyscribeError,
  PreconditionFailedError,
  StorageNotFoundError,
  normalizeKey,
} from "@lazyscribe/core/internal";
import type { ByteStream, StorageBackend, StorageStat, WritableData, WriteOptions } from "@lazyscribe/core/internal";
import { LOCK_SUFFIX, TEMP_SUFFIX } from "./constants.js";
import { DEFAULT_LOCK_STALE_MS, DEFAULT_LOCK_TIMEOUT_MS, acquireLock, codeOf, type LockOptions } from "./lock.js";

/** Options of {@link FsStorage}. */
export interface FsStorageOptions {
  /**
   * How long a write waits for another writer's `<file>.lock` before failing
   * with `ConflictError` (code `CONFLICT`). Default 15 000 ms.
   */
  lockTimeoutMs?: number;
  /**
   * Age after which a lock held by a live process (or one on another host)
   * is considered abandoned and broken. Locks of dead processes on this host
   * are broken at once. Must exceed the longest commit. Default 10 000 ms.
   */
  lockStaleMs?: number;
  /**
   * `"process"` (default): atomic rename and exclusive create — a crashed or
   * killed writer never leaves a half-written file or manifest, as with git
   * and Python lazyscribe, but a power failure may lose recent writes.
   * `"fsync"`: also flush every file and its folder to disk before a write
   * returns, so a committed manifest never points at data a power failure
   * lost (about 1 s more per GiB on a typical SSD).
   */
  durability?: "fsync" | "process";
}

const READ_CHUNK = 1 << 20;
/** Concurrent positional writes of one streamed file (libuv runs four at a time). */
const WRITES_IN_FLIGHT = 4;
const STAGE_SIZE = 1 << 20;
/** Chunks at least this big are written as they come; smaller ones are gathered first. */
const DIRECT_WRITE = 256 << 10;
/** Errors that mean "there is no file at this key". */
const NOT_FOUND = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);
/** `link()` is not available on this filesystem. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);
/** fsync of a directory is not supported here. */
const NO_DIR_SYNC = new Set(["EINVAL", "EISDIR", "EPERM", "EACCES", "ENOTSUP", "EOPNOTSUPP", "EBADF"]);
/** Bumps tried to make a replacement's mtime newer than the file it replaces (see `commitLocked`). */
const MTIME_BUMPS_NS = [2_000n, 1_000_000n, 1_000_000_000n, 2_000_000_000n];

/**
 * Local filesystem storage rooted at a folder. Keys are `/`-separated paths
 * below it.
 *
 * - **Atomic writes**: data goes to `.<name>.<pid>-<random>.lztmp` in the
 *   target's folder (fsynced with `durability: "fsync"`), then committed: with `ifNoneMatch: "*"` by
 *   `link()` (never overwrites), otherwise by `rename()` under the
 *   `<file>.lock` lock (with `ifMatch` the etag is checked under the lock).
 *   A crash leaves at most a `.lztmp` file that `gc` removes.
 * - **Streams**: writes and `readStream` use constant memory (1 MiB buffers),
 *   with backpressure.
 * - **Etag** `${ino}-${size}-${mtimeNs}`: every commit is a new inode, and
 *   under the lock the mtime of a replacement is kept newer than the file it
 *   replaces, so a reused inode number cannot bring back an old etag.
 * - **Safety**: keys are checked with `normalizeKey`; paths that would leave
 *   the root, also through a symbolic link, are refused with `InvalidNameError`.
 * - **Locks**: a lock whose holder died is broken at once; one older than
 *   `lockStaleMs` (10 s) is broken too; otherwise writers wait up to
 *   `lockTimeoutMs` (15 s) and then throw `ConflictError` naming the lock file.
 *
 * @example
 * import { FsStorage } from "@lazyscribe/storage-fs";
 * import { Repository } from "@lazyscribe/core/internal";
 *
 * const storage = new FsStorage("./data");
 * await storage.write("notes/hello.txt", "hi", { ifNoneMatch: "*" });
 * const repo = await Repository.open("repository.json", { storage });
 */
export class FsStorage implements StorageBackend {
  /** The absolute root folder. */
  readonly root: string;
  readonly description: string;
  private readonly lockOptions: LockOptions;
  private realRoot: string | undefined;
  private readonly fsync: boolean;

  /**
   * @param rootDir folder of the storage (created on the first write); relative to `process.cwd()`.
   * @param options lock timing, see {@link FsStorageOptions}.
   */
  constructor(rootDir: string, options: FsStorageOptions = {}) {
    if (typeof rootDir !== "string" || rootDir.length === 0) {
      throw new LazyscribeError("FsStorage needs a root folder, such as new FsStorage(\"./data\")");
    }
    this.root = path.resolve(rootDir);
    this.description = `file://${this.root}`;
    if (options.durability !== undefined && options.durability !== "fsync" && options.durability !== "process") {
      throw new LazyscribeError(`durability must be "fsync" or "process", not ${JSON.stringify(options.durability)}`);
    }
    this.fsync = options.durability === "fsync";
    this.lockOptions = {
      timeoutMs: positive(options.lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS, "lockTimeoutMs"),
      staleMs: positive(options.lockStaleMs, DEFAULT_LOCK_STALE_MS, "lockStaleMs"),
    };
  }

  async read(key: string): Promise<Uint8Array> {
    const file = await this.existingFile(key);
    try {
      const buf = await fsp.readFile(file);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      throw this.notFoundOr(err, key);
    }
  }

  async readStream(key: string): Promise<ByteStream> {
    const file = await this.existingFile(key);
    let fh: FileHandle;
    try {
      fh = await fsp.open(file, "r");
    } catch (err) {
      throw this.notFoundOr(err, key);
    }
    try {
      if (!(await fh.stat()).isFile()) throw this.notFound(key);
    } catch (err) {
      await fh.close();
      throw err;
    }
    return fileStream(fh);
  }

  async write(key: string, data: WritableData, options: WriteOptions = {}): Promise<StorageStat> {
    let target: string;
    try {
      target = await this.writableFile(key);
    } catch (err) {
      abandon(data, err);
      throw err;
    }
    return this.writeVia(key, target, async (temp) => {
      let fh: FileHandle;
      try {
        fh = await fsp.open(temp, "wx");
      } catch (err) {
        abandon(data, err);
        throw err;
      }
      try {
        await writeData(fh, data);
        return await seal(fh, this.fsync);
      } finally {
        await fh.close();
      }
    }, options);
  }

  async stat(key: string): Promise<StorageStat | null> {
    let file: string;
    try {
      file = await this.existingFile(key);
    } catch (err) {
      if (codeOf(err) === "STORAGE_NOT_FOUND") return null;
      throw err;
    }
    try {
      const st = await fsp.stat(file, { bigint: true });
      return st.isFile() ? toStorageStat(st) : null;
    } catch (err) {
      if (NOT_FOUND.has(codeOf(err) ?? "")) return null;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    if (typeof prefix !== "string") throw new InvalidNameError("list() needs a string prefix (\"\" lists every key)");
    const realRoot = await this.getRealRoot(false);
    if (realRoot === null) return [];
    const slash = prefix.lastIndexOf("/");
    const dirKey = slash < 0 ? "" : prefix.slice(0, slash);
    let start = this.root;
    if (dirKey !== "") {
      start = this.lexicalPath(normalizeKey(dirKey));
      const real = await realpathOrNull(start);
      if (real === null || !isInside(real, realRoot)) return [];
    }
    const keys: string[] = [];
    const walk = async (dir: string, base: string): Promise<void> => {
      let entries;
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (NOT_FOUND.has(codeOf(err) ?? "")) return;
        throw err;
      }
      const subdirs: Promise<void>[] = [];
      for (const entry of entries) {
        const key = base === "" ? entry.name : `${base}/${entry.name}`;
        if (entry.isDirectory()) {
          // Symbolic links are listed as keys and never followed.
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) subdirs.push(walk(path.join(dir, entry.name), key));
        } else if (key.startsWith(prefix)) {
          keys.push(key);
        }
      }
      await Promise.all(subdirs);
    };
    await walk(start, dirKey);
    return keys;
  }

  async delete(key: string): Promise<void> {
    const file = this.lexicalPath(normalizeKey(key));
    const realRoot = await this.getRealRoot(false);
    if (realRoot === null) return;
    const parent = await realpathOrNull(path.dirname(file));
    if (parent === null) return;
    this.assertInside(parent, realRoot, key);
    try {
      await fsp.unlink(file);
    } catch (err) {
      const code = codeOf(err);
      if (code === "ENOENT" || code === "ENOTDIR") return;
      // A folder is not a key: deleting its name is a no-op, as in every backend.
      if ((code === "EISDIR" || code === "EPERM") && (await isDirectory(file))) return;
      throw err;
    }
  }

  async copy(from: string, to: string, options: WriteOptions = {}): Promise<StorageStat> {
    const source = await this.existingFile(from);
    const target = await this.writableFile(to);
    return this.writeVia(to, target, async (temp) => {
      try {
        // Kernel-side copy (reflink where the filesystem can): constant memory.
        await fsp.copyFile(source, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      } catch (err) {
        throw this.notFoundOr(err, from);
      }
      const fh = await fsp.open(temp, "r+");
      try {
        return await seal(fh, this.fsync);
      } finally {
        await fh.close();
      }
    }, options);
  }

  // -------------------------------------------------------------------------
  // writing

  /** Fill a fresh temp file with `fill`, then commit it to `target` honouring `options`. */
  private async writeVia(
    key: string,
    target: string,
    fill: (temp: string) => Promise<BigIntStats>,
    options: WriteOptions,
  ): Promise<StorageStat> {
    const temp = tempPathFor(target);
    let tempExists = true;
    try {
      let st = await fill(temp);
      if (options.ifNoneMatch === "*") {
        if (options.ifMatch !== undefined) throw new PreconditionFailedError(key); // cannot both exist and not exist
        try {
          await fsp.link(temp, target); // fails with EEXIST instead of overwriting
        } catch (err) {
          const code = codeOf(err) ?? "";
          if (code === "EEXIST") throw new PreconditionFailedError(key);
          if (!NO_HARD_LINKS.has(code)) throw err;
          // No hard links on this filesystem: check and rename under the lock instead.
          st = await this.commitLocked(key, target, temp, st, { mustNotExist: true });
          tempExists = false;
        }
      } else {
        st = await this.commitLocked(key, target, temp, st, { ifMatch: options.ifMatch });
        tempExists = false;
      }
      if (this.fsync) await syncDir(path.dirname(target));
      return toStorageStat(st);
    } finally {
      if (tempExists) await fsp.rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /**
   * Under `<target>.lock`: check the precondition, keep the new file's mtime
   * newer than the one it replaces, rename it over the target.
   */
  private async commitLocked(
    key: string,
    target: string,
    temp: string,
    tempStat: BigIntStats,
    check: { ifMatch?: string; mustNotExist?: boolean },
  ): Promise<BigIntStats> {
    const lock = await acquireLock(`${target}${LOCK_SUFFIX}`, this.lockOptions);
    try {
      const current = await statOrNull(target);
      if (check.mustNotExist && current) throw new PreconditionFailedError(key);
      if (check.ifMatch !== undefined && (!current || !current.isFile() || etagOf(current) !== check.ifMatch)) {
        throw new PreconditionFailedError(key);
      }
      let st = tempStat;
      // Inode numbers are reused as soon as a replaced file is freed, and mtimes
      // have a coarse clock: without this, A→B→A' within one clock tick could
      // give A' the etag of A and let a stale compare-and-swap through.
      if (current && st.mtimeNs <= current.mtimeNs) st = await bumpMtime(temp, current.mtimeNs);
      await fsp.rename(temp, target);
      return st;
    } finally {
      await lock.release();
    }
  }

  // -------------------------------------------------------------------------
  // paths

  /** `root/<key>` after checking the key; refuses paths that leave the root. */
  private lexicalPath(key: string): string {
    const abs = path.join(this.root, ...key.split("/"));
    if (!isInside(abs, this.root)) throw new InvalidNameError(`invalid storage key ${JSON.stringify(key)}: it would escape ${this.root}`);
    return abs;
  }

  /** Real path of an existing key inside the root, or `StorageNotFoundError`. */
  private async existingFile(key: string): Promise<string> {
    const abs = this.lexicalPath(normalizeKey(key));
    const realRoot = await this.getRealRoot(false);
    if (realRoot === null) throw this.notFound(key);
    const real = await realpathOrNull(abs);
    if (real === null) throw this.notFound(key);
    this.assertInside(real, realRoot, key);
    return real;
  }

  /** Path of `key` with its folder created, after checking no folder on the way links outside the root. */
  private async writableFile(key: string): Promise<string> {
    const abs = this.lexicalPath(normalizeKey(key));
    const realRoot = (await this.getRealRoot(true))!;
    const dir = path.dirname(abs);
    let real = await realpathOrNull(dir);
    if (real === null) {
      // Check the deepest existing ancestor before mkdir -p could follow a link out of the root.
      let ancestor = dir;
      while (ancestor !== this.root) {
        ancestor = path.dirname(ancestor);
        const r = await realpathOrNull(ancestor);
        if (r !== null) {
          this.assertInside(r, realRoot, key);
          break;
        }
      }
      await fsp.mkdir(dir, { recursive: true });
      real = await fsp.realpath(dir);
    }
    this.assertInside(real, realRoot, key);
    return abs;
  }

  /** The root's real path (cached); `null` when it does not exist and `create` is false. */
  private async getRealRoot(create: boolean): Promise<string | null> {
    if (this.realRoot !== undefined) return this.realRoot;
    if (create) await fsp.mkdir(this.root, { recursive: true });
    const real = await realpathOrNull(this.root);
    if (real !== null) this.realRoot = real;
    return real;
  }

  private assertInside(real: string, realRoot: string, key: string): void {
    if (!isInside(real, realRoot)) {
      throw new InvalidNameError(
        `invalid storage key ${JSON.stringify(key)}: it leads outside ${this.root} through a symbolic link`,
      );
    }
  }

  private notFound(key: string): StorageNotFoundError {
    return new StorageNotFoundError(key, `"${key}" does not exist in ${this.description}`);
  }

  private notFoundOr(err: unknown, key: string): unknown {
    return NOT_FOUND.has(codeOf(err) ?? "") ? this.notFound(key) : err;
  }
}

// ---------------------------------------------------------------------------
// helpers

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new LazyscribeError(`${name} must be a positive number of milliseconds, not ${String(value)}`);
  }
  return value;
}

function isInside(candidate: string, root: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return candidate.startsWith(prefix);
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await fsp.realpath(p);
  } catch (err) {
    if (NOT_FOUND.has(codeOf(err) ?? "") || codeOf(err) === "ELOOP") return null;
    throw err;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fsp.lstat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function statOrNull(p: string): Promise<BigIntStats | null> {
  try {
    return await fsp.stat(p, { bigint: true });
  } catch (err) {
    if (codeOf(err) === "ENOENT" || codeOf(err) === "ENOTDIR") return null;
    throw err;
  }
}

function etagOf(st: BigIntStats): string {
  return `${st.ino}-${st.size}-${st.mtimeNs}`;
}

function toStorageStat(st: BigIntStats): StorageStat {
  return { size: Number(st.size), etag: etagOf(st), mtime: new Date(Number(st.mtimeNs / 1_000_000n)) };
}

/** `.<basename>.<pid>-<random>.lztmp` beside `target` (basename shortened to fit NAME_MAX). */
function tempPathFor(target: string): string {
  const base = path.basename(target).slice(0, 200);
  return path.join(path.dirname(target), `.${base}.${process.pid}-${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
}

/**
 * Finish a freshly written temp file: give it an mtime with a random
 * sub-millisecond part (so a reused inode number rarely meets an equal
 * mtime), fsync it, and return its stat — rename and link keep inode, size
 * and mtime, so this is the committed file's etag.
 */
async function seal(fh: FileHandle, fsync: boolean): Promise<BigIntStats> {
  const t = (Date.now() - Math.random()) / 1000;
  await fh.utimes(t, t);
  if (fsync) await fh.sync();
  return fh.stat({ bigint: true });
}

/** Set `file`'s mtime just after `after` (trying coarser steps for coarse filesystems). */
async function bumpMtime(file: string, after: bigint): Promise<BigIntStats> {
  let st = await fsp.stat(file, { bigint: true });
  for (const step of MTIME_BUMPS_NS) {
    const wantedUs = (after + step) / 1000n;
    const seconds = Number(wantedUs) / 1e6;
    await fsp.utimes(file, seconds, seconds);
    st = await fsp.stat(file, { bigint: true });
    if (st.mtimeNs > after) break;
  }
  return st;
}

async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await fsp.open(dir, "r");
    await fh.sync();
  } catch (err) {
    if (!NO_DIR_SYNC.has(codeOf(err) ?? "")) throw err;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------
// streams

/** A pull-based web stream over a file: one 1 MiB read per pull, closed on end, error or cancel. */
function fileStream(fh: FileHandle): ByteStream {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const buf = Buffer.allocUnsafe(READ_CHUNK);
        const { bytesRead } = await fh.read(buf, 0, READ_CHUNK, null);
        if (bytesRead === 0) {
          await close();
          controller.close();
        } else if (bytesRead === READ_CHUNK) {
          controller.enqueue(new Uint8Array(buf.buffer, buf.byteOffset, bytesRead));
        } else {
          // Copy the short tail: never hand out the uninitialised rest of the buffer.
          controller.enqueue(new Uint8Array(buf.subarray(0, bytesRead)));
        }
      } catch (err) {
        await close().catch(() => undefined);
        controller.error(err);
      }
    },
    async cancel() {
      await close();
    },
  }, { highWaterMark: 2 }); // read one chunk ahead while the consumer (e.g. hashing) works
}

function isReadableStream(data: unknown): data is ByteStream {
  return typeof data === "object" && data !== null && typeof (data as ByteStream).getReader === "function";
}

/** Chunks of any writable data; cancels a web stream if the consumer stops early. */
async function* chunksOf(data: ByteStream | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array | string> {
  if (isReadableStream(data)) {
    const reader = data.getReader();
    let finished = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        yield value;
      }
    } catch (err) {
      finished = true; // the stream itself failed
      throw err;
    } finally {
      if (!finished) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  yield* data;
}

/** Stream `data` into `fh` with backpressure: small chunks are gathered into 1 MiB writes. */
async function writeData(fh: FileHandle, data: WritableData): Promise<void> {
  if (typeof data === "string") return writeAll(fh, Buffer.from(data, "utf8"));
  if (data instanceof Uint8Array) return writeAll(fh, data);
  // Keep up to WRITES_IN_FLIGHT positional writes going while the next chunk
  // is pulled (and hashed upstream), so the CPU and the disk work at once.
  const inFlight = new Set<Promise<void>>();
  let position = 0;
  let failure: unknown;
  const submit = async (bytes: Uint8Array): Promise<void> => {
    while (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
    if (failure !== undefined) throw failure;
    const write: Promise<void> = writeAllAt(fh, bytes, position).then(
      () => void inFlight.delete(write),
      (err: unknown) => {
        inFlight.delete(write);
        failure ??= err;
      },
    );
    inFlight.add(write);
    position += bytes.byteLength;
  };
  let stage: Buffer | undefined;
  let used = 0;
  const submitStage = async (): Promise<void> => {
    if (used === 0) return;
    const full = stage!.subarray(0, used);
    stage = undefined; // the staged bytes now belong to the in-flight write
    used = 0;
    await submit(full);
  };
  try {
    for await (const piece of chunksOf(data)) {
      const chunk = typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError(`stream chunks must be Uint8Array, got ${Object.prototype.toString.call(chunk)}`);
      }
      if (chunk.byteLength >= DIRECT_WRITE) {
        await submitStage();
        await submit(chunk);
        continue;
      }
      if (used + chunk.byteLength > STAGE_SIZE) await submitStage();
      stage ??= Buffer.allocUnsafe(STAGE_SIZE);
      stage.set(chunk, used);
      used += chunk.byteLength;
    }
    await submitStage();
  } finally {
    await Promise.all(inFlight);
  }
  if (failure !== undefined) throw failure;
}

async function writeAllAt(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, offset, bytes.byteLength - offset, position + offset);
    offset += bytesWritten;
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, offset, bytes.byteLength - offset, null);
    offset += bytesWritten;
  }
}

/** Release a web stream we will not read (e.g. the key was invalid). */
function abandon(data: WritableData, reason: unknown): void {
  if (isReadableStream(data) && !data.locked) data.cancel(reason).catch(() => undefined);
}
