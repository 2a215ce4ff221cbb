import { randomBytes } from "node:crypto";
import { constants, type BigIntStats } from "node:fs";
import * as fsp from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import {
  ConflictError,
  InvalidNameError,
  LazyscribeError,
  PreconditionFailedError,
  StorageError,
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
   * Lease of a lock held on another host: such a lock whose file has not
   * changed for this long (as seen from this host) is broken; its holder
   * refreshes it every quarter of it. Locks of live processes on this host
   * are never broken by age; those of dead processes at once. Default 10 000 ms.
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
/** Open for reading without blocking on a FIFO or device (checked to be a file before reading). */
const READ_NONBLOCKING = constants.O_RDONLY | constants.O_NONBLOCK;
/** Suffix of a file staged for commit in `.<name>.commit.lztmp/`. */
const STAGED_SUFFIX = `.staged${TEMP_SUFFIX}`;
/** Where a write goes, and the folders created for it (deepest first). */
interface WritableTarget {
  file: string;
  created: string[];
}

/** Whether `/proc/self/fd/<n>` resolves to the open folder (Linux); `undefined` until tried. */
let procFdWorks: boolean | undefined;

/** The folder of a write, opened once: `via` is the path to reach it through. */
interface PinnedFolder {
  via: string;
  /** `true`: `via` names the opened folder itself, whatever happens to its path meanwhile. */
  pinned: boolean;
  close(): Promise<void>;
}

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
 *   the root, also through a symbolic link, are refused with `InvalidNameError`;
 *   writes and deletes go through the folder as opened and checked, so a
 *   folder swapped for a link mid-write cannot redirect them.
 * - **Locks**: a lease (see `acquireLock`). A lock whose holder died is
 *   broken at once, one of another host whose file has not changed for
 *   `lockStaleMs` (10 s) too; a live local holder is never broken by age.
 *   Otherwise writers wait up to `lockTimeoutMs` (15 s) and then throw
 *   `ConflictError` naming the lock file. A commit whose lock was lost
 *   meanwhile is refused (`PreconditionFailedError`): see `commitLocked`.
 * - **Errors**: disk full, read-only filesystem, permission denied and other
 *   system errors are `StorageError` (code `STORAGE`) with the OS code, the
 *   path and what to do; the failed write leaves nothing behind.
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
    return this.guarded(key, async () => {
      const fh = await this.openRegularFile(key);
      try {
        const buf = await fh.readFile();
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } finally {
        await fh.close();
      }
    });
  }

  async readStream(key: string): Promise<ByteStream> {
    return this.guarded(key, async () => {
      return fileStream(await this.openRegularFile(key));
    });
  }

  /** Open `key` for reading; only a regular file (a FIFO or device could block forever), else not found. */
  private async openRegularFile(key: string): Promise<FileHandle> {
    const file = await this.existingFile(key);
    let fh: FileHandle;
    try {
      fh = await fsp.open(file, READ_NONBLOCKING);
    } catch (err) {
      throw this.notFoundOr(err, key);
    }
    try {
      if (!(await fh.stat()).isFile()) throw this.notFound(key);
    } catch (err) {
      await fh.close();
      throw err;
    }
    return fh;
  }

  async write(key: string, data: WritableData, options: WriteOptions = {}): Promise<StorageStat> {
    let target: WritableTarget;
    try {
      target = await this.guarded(key, () => this.writableFile(key));
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
    return this.guarded(key, async () => {
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
    });
  }

  async list(prefix: string): Promise<string[]> {
    if (typeof prefix !== "string") throw new InvalidNameError("list() needs a string prefix (\"\" lists every key)");
    return this.guarded(prefix, () => this.listKeys(prefix));
  }

  private async listKeys(prefix: string): Promise<string[]> {
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
    return this.guarded(key, async () => {
      const realRoot = await this.getRealRoot(false);
      if (realRoot === null) return;
      // Unlink through the folder as opened and checked, so a folder swapped for a link cannot redirect it.
      let folder: PinnedFolder;
      try {
        folder = await this.pinFolder(key, path.dirname(file));
      } catch (err) {
        if (NOT_FOUND.has(codeOf(err) ?? "") || codeOf(err) === "ELOOP") return;
        throw err;
      }
      const name = path.join(folder.via, path.basename(file));
      try {
        await fsp.unlink(name);
      } catch (err) {
        const code = codeOf(err);
        if (code === "ENOENT" || code === "ENOTDIR") return;
        // A folder is not a key: deleting its name is a no-op, as in every backend.
        if ((code === "EISDIR" || code === "EPERM") && (await isDirectory(name))) return;
        throw err;
      } finally {
        await folder.close();
      }
    });
  }

  async copy(from: string, to: string, options: WriteOptions = {}): Promise<StorageStat> {
    const source = await this.guarded(from, () => this.existingFile(from));
    const target = await this.guarded(to, () => this.writableFile(to));
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

  /**
   * Fill a fresh temp file with `fill`, then commit it to `target` honouring
   * `options`. Every path of the write goes through the target's folder as
   * opened and checked once (`/proc/self/fd/<n>` on Linux), so a folder
   * swapped for a symbolic link meanwhile cannot send a file outside the root.
   */
  private async writeVia(
    key: string,
    { file: target, created }: WritableTarget,
    fill: (temp: string) => Promise<BigIntStats>,
    options: WriteOptions,
  ): Promise<StorageStat> {
    let folder: PinnedFolder | undefined;
    try {
      folder = await this.pinFolder(key, path.dirname(target));
      const base = path.basename(target);
      const at = (name: string): string => path.join(folder!.via, name);
      const temp = at(tempNameFor(base));
      let tempExists = true;
      try {
        let st = await fill(temp);
        if (!folder.pinned) await this.assertTempInside(key, target, temp, st);
        if (options.ifNoneMatch === "*") {
          if (options.ifMatch !== undefined) throw new PreconditionFailedError(key); // cannot both exist and not exist
          try {
            await fsp.link(temp, at(base)); // fails with EEXIST instead of overwriting
          } catch (err) {
            const code = codeOf(err) ?? "";
            if (code === "EEXIST") throw (await isDirectory(at(base))) ? this.folderInTheWay(target) : new PreconditionFailedError(key);
            if (!NO_HARD_LINKS.has(code)) throw err;
            // No hard links on this filesystem: check and rename under the lock instead.
            st = await this.commitLocked(key, target, folder.via, temp, st, { mustNotExist: true });
            tempExists = false;
          }
        } else {
          st = await this.commitLocked(key, target, folder.via, temp, st, { ifMatch: options.ifMatch });
          tempExists = false;
        }
        if (this.fsync) await syncDir(folder.via);
        return toStorageStat(st);
      } finally {
        if (tempExists) await fsp.rm(temp, { force: true }).catch(() => undefined);
      }
    } catch (err) {
      // Remove the folders this write created (only while empty: another writer may be using them).
      for (const d of created) if (!(await fsp.rmdir(d).then(() => true, () => false))) break;
      throw this.storageError(err, target);
    } finally {
      await folder?.close();
    }
  }

  /**
   * Commit `temp` to `target` under `<target>.lock`, so that no commit is
   * ever lost, even to a holder that was paused and whose lock was broken or
   * deleted meanwhile:
   *
   * 1. take the lock (a lease, see `acquireLock`);
   * 2. move the temp file into the staging folder `.<name>.commit.lztmp/`;
   * 3. fence: delete every other file staged there — it belongs to a writer
   *    that lost the lock, whose final rename must now fail;
   * 4. check the precondition, keep the new file's mtime newer than the one
   *    it replaces, and check the lease is still ours;
   * 5. rename the staged file over the target. If it was fenced, the rename
   *    fails (ENOENT) and the write throws `PreconditionFailedError`, so the
   *    caller re-reads and retries.
   *
   * Any writer that commits after our check fenced us first (it staged, then
   * fenced, then checked), so our rename cannot overwrite its commit.
   */
  private async commitLocked(
    key: string,
    target: string,
    folder: string,
    temp: string,
    tempStat: BigIntStats,
    check: { ifMatch?: string; mustNotExist?: boolean },
  ): Promise<BigIntStats> {
    const base = path.basename(target);
    const lock = await acquireLock(path.join(folder, `${base}${LOCK_SUFFIX}`), this.lockOptions, `${target}${LOCK_SUFFIX}`);
    const staging = path.join(folder, `.${base.slice(0, 200)}.commit${TEMP_SUFFIX}`);
    const stagedName = `${randomBytes(8).toString("hex")}${STAGED_SUFFIX}`;
    const staged = path.join(staging, stagedName);
    let isStaged = false;
    try {
      await stage(temp, staging, staged);
      isStaged = true;
      await fence(staging, stagedName);
      const current = await statOrNull(path.join(folder, base));
      // A folder where the file should be is not a concurrent writer: retrying cannot help.
      if (current?.isDirectory()) throw this.folderInTheWay(target);
      if (check.mustNotExist && current) throw new PreconditionFailedError(key);
      if (check.ifMatch !== undefined && (!current || !current.isFile() || etagOf(current) !== check.ifMatch)) {
        throw new PreconditionFailedError(key);
      }
      let st = tempStat;
      // Inode numbers are reused as soon as a replaced file is freed, and mtimes
      // have a coarse clock: without this, A→B→A' within one clock tick could
      // give A' the etag of A and let a stale compare-and-swap through.
      if (current && st.mtimeNs <= current.mtimeNs) st = await bumpMtime(staged, current.mtimeNs);
      // Lost the lease (broken while we were paused, or deleted by hand): another writer may be committing.
      if (!(await lock.stillHeld())) throw new PreconditionFailedError(key, lostLockMessage(key, lock.path));
      try {
        await fsp.rename(staged, path.join(folder, base));
      } catch (err) {
        // Fenced by a writer that took the lock after ours was lost: its commit stands.
        if (codeOf(err) === "ENOENT") throw new PreconditionFailedError(key, lostLockMessage(key, lock.path));
        throw err;
      }
      isStaged = false;
      return st;
    } finally {
      if (isStaged) await fsp.unlink(staged).catch(() => undefined);
      await fsp.rmdir(staging).catch(() => undefined); // only when empty: others may be staging
      await lock.release();
    }
  }

  /** Open the folder a write goes to and check where it really is; every path of the write goes through it. */
  private async pinFolder(key: string, dir: string): Promise<PinnedFolder> {
    const realRoot = (await this.getRealRoot(true))!;
    if (procFdWorks !== false) {
      const fh = await fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
      try {
        const via = `/proc/self/fd/${fh.fd}`;
        const real = await fsp.readlink(via).catch(() => null);
        procFdWorks ??= real !== null && path.isAbsolute(real) && (await sameFile(via, fh));
        if (procFdWorks && real !== null) {
          this.assertInside(real, realRoot, key);
          return { via, pinned: true, close: () => fh.close().catch(() => undefined) };
        }
      } catch (err) {
        await fh.close().catch(() => undefined);
        throw err;
      }
      await fh.close();
    }
    const real = await fsp.realpath(dir);
    this.assertInside(real, realRoot, key);
    return { via: dir, pinned: false, close: async () => undefined };
  }

  /** Without `/proc/self/fd`: after the temp file exists, check its folder is still inside the root and holds it. */
  private async assertTempInside(key: string, target: string, temp: string, st: BigIntStats): Promise<void> {
    const realRoot = (await this.getRealRoot(true))!;
    const real = await fsp.realpath(path.dirname(target));
    const here = await fsp.lstat(temp, { bigint: true }).catch(() => null);
    if (!isInside(real, realRoot) || here === null || here.ino !== st.ino) {
      throw new InvalidNameError(
        `invalid storage key ${JSON.stringify(key)}: its folder was replaced by a link leading outside ${this.root} during the write`,
      );
    }
  }

  /** Run `fn`; system errors it throws (disk full, read-only, permission denied, ...) become `StorageError`. */
  private async guarded<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.storageError(err, this.lexicalPathOrRoot(key));
    }
  }

  private lexicalPathOrRoot(key: string): string {
    try {
      return this.lexicalPath(normalizeKey(key));
    } catch {
      return this.root;
    }
  }

  /** `file` is a folder: the same error a write into it gives (EISDIR). */
  private folderInTheWay(file: string): StorageError {
    const hint = hintFor("EISDIR", file);
    return new StorageError("EISDIR", file, hint, `${describeSystemError("EISDIR")} (EISDIR) at ${file} in ${this.description}. ${hint}`);
  }

  /** A system error as `StorageError` naming the path and what to do; anything else unchanged. */
  private storageError(err: unknown, file: string): unknown {
    if (!isSystemError(err)) return err;
    const osCode = codeOf(err)!;
    const hint = hintFor(osCode, file);
    return new StorageError(
      osCode,
      file,
      hint,
      `${describeSystemError(osCode)} (${osCode}) at ${file} in ${this.description}. ${hint}`,
      { cause: err },
    );
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
  private async writableFile(key: string): Promise<WritableTarget> {
    const abs = this.lexicalPath(normalizeKey(key));
    const realRoot = (await this.getRealRoot(true))!;
    const dir = path.dirname(abs);
    let real = await realpathOrNull(dir);
    const created: string[] = [];
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
      await this.makeFoldersBelow(key, ancestor, dir, created);
      real = await fsp.realpath(dir);
    }
    this.assertInside(real, realRoot, key);
    return { file: abs, created };
  }

  /**
   * Create the folders from `ancestor` (existing, checked) down to `dir`, one
   * level at a time through the folder just opened, never following a link:
   * a folder swapped for a link meanwhile cannot make us create folders
   * outside the root. Records the folders it created, deepest first.
   */
  private async makeFoldersBelow(key: string, ancestor: string, dir: string, created: string[]): Promise<void> {
    const names = path.relative(ancestor, dir).split(path.sep).filter((n) => n !== "");
    let folder = await this.pinFolder(key, ancestor);
    if (!folder.pinned) {
      await folder.close();
      for (let d = dir; d !== ancestor; d = path.dirname(d)) created.push(d);
      return makeFolders(dir);
    }
    try {
      let lexical = ancestor;
      for (const name of names) {
        lexical = path.join(lexical, name);
        const made = await fsp.mkdir(path.join(folder.via, name)).then(() => true, (err: unknown) => {
          if (codeOf(err) !== "EEXIST") throw err;
          return false;
        });
        if (made) created.unshift(lexical);
        let fh: FileHandle;
        try {
          fh = await fsp.open(path.join(folder.via, name), constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
        } catch (err) {
          if (codeOf(err) === "ELOOP" || codeOf(err) === "ENOTDIR") {
            throw new InvalidNameError(`invalid storage key ${JSON.stringify(key)}: ${lexical} was replaced by a link or a file while its folders were created`);
          }
          throw err;
        }
        await folder.close();
        folder = { via: `/proc/self/fd/${fh.fd}`, pinned: true, close: () => fh.close().catch(() => undefined) };
      }
    } finally {
      await folder.close();
    }
  }

  /** The root's real path (cached); `null` when it does not exist and `create` is false. */
  private async getRealRoot(create: boolean): Promise<string | null> {
    if (this.realRoot !== undefined) return this.realRoot;
    if (create) await makeFolders(this.root);
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

/** `mkdir -p`, reporting the real cause where Node's recursive mkdir says ENOENT (on a read-only filesystem, say). */
async function makeFolders(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (err) {
    if (codeOf(err) !== "ENOENT") throw err;
    const parent = path.dirname(dir);
    if (parent !== dir && (await realpathOrNull(parent)) === null) await makeFolders(parent);
    await fsp.mkdir(dir).catch((e: unknown) => {
      if (codeOf(e) !== "EEXIST") throw e;
    });
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

/** `.<basename>.<pid>-<random>.lztmp`: the name of a temp file beside a target (basename shortened to fit NAME_MAX). */
function tempNameFor(base: string): string {
  return `.${base.slice(0, 200)}.${process.pid}-${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`;
}

/** Move `temp` to `staged` inside the staging folder, creating the folder (again, if another writer just removed it). */
async function stage(temp: string, staging: string, staged: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const made = await fsp.mkdir(staging).then(() => true, (err: unknown) => {
      if (codeOf(err) !== "EEXIST") throw err;
      return false;
    });
    if (!made && !(await fsp.lstat(staging)).isDirectory()) {
      throw new ConflictError(`${staging} is in the way of commits: it must be a folder lazyscribe creates, not a file or a link. Remove it and try again.`);
    }
    try {
      await fsp.rename(temp, staged);
      return;
    } catch (err) {
      // The folder was removed between our mkdir and rename by a writer finishing its commit.
      if (codeOf(err) !== "ENOENT" || attempt >= 20) throw err;
    }
  }
}

/** Delete every file staged in `staging` except ours: their writers lost the lock, and their renames must fail. */
async function fence(staging: string, mine: string): Promise<void> {
  const names = await fsp.readdir(staging);
  await Promise.all(
    names
      .filter((n) => n !== mine && n.endsWith(STAGED_SUFFIX))
      .map((n) => fsp.unlink(path.join(staging, n)).catch((err: unknown) => {
        if (codeOf(err) !== "ENOENT") throw err;
      })),
  );
}

function lostLockMessage(key: string, lockPath: string): string {
  return `precondition failed for "${key}": the lock ${lockPath} was broken or deleted while this writer held it, so another writer may have committed; re-read and try again`;
}

async function sameFile(p: string, fh: FileHandle): Promise<boolean> {
  const [a, b] = await Promise.all([fsp.stat(p, { bigint: true }), fh.stat({ bigint: true })]);
  return a.ino === b.ino && a.dev === b.dev;
}

/** A Node system error (it has an `E...` code and names a syscall), not one of ours. */
function isSystemError(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof LazyscribeError) return false;
  const code = codeOf(err);
  return code !== undefined && /^E[A-Z0-9]+$/.test(code) && typeof (err as { syscall?: unknown }).syscall === "string";
}

function describeSystemError(code: string): string {
  switch (code) {
    case "ENOSPC": return "the disk is full";
    case "EDQUOT": return "the disk quota is exhausted";
    case "EROFS": return "the filesystem is read-only";
    case "EACCES":
    case "EPERM": return "permission denied";
    case "EMFILE":
    case "ENFILE": return "too many open files";
    case "EIO": return "an I/O error occurred";
    case "EFBIG": return "the file is too large for this filesystem";
    case "ENOENT":
    case "ENOTDIR": return "a folder on the way disappeared during the operation";
    case "EISDIR": return "a folder is where a file should be";
    default: return "the storage failed";
  }
}

function hintFor(code: string, file: string): string {
  const folder = path.dirname(file);
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return `Free some space on the disk of ${folder} (or raise the quota) and try again; nothing was committed.`;
    case "EROFS":
      return `Remount ${folder} read-write, or open the repository read-only (mode "r"); nothing was committed.`;
    case "EACCES":
    case "EPERM":
      return `Give the user running lazyscribe read and write access to ${folder} (and its files), then try again.`;
    case "EMFILE":
    case "ENFILE":
      return "Close other files or raise the limit (ulimit -n), then try again.";
    case "ENOENT":
    case "ENOTDIR":
      return `Another process removed or replaced ${folder} meanwhile; try again.`;
    case "EISDIR":
      return `${file} is a folder: give the path of a file (a repository's manifest is e.g. ${path.join(file, "repository.json")}), or move the folder away.`;
    default:
      return `Check the disk and the folder ${folder}, then try again.`;
  }
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
