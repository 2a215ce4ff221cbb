import { randomBytes } from "node:crypto";
import { constants, readFileSync } from "node:fs";
import { link, lstat, open, rename, unlink, type FileHandle } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConflictError } from "@lazyscribe/core/internal";
import { TEMP_SUFFIX } from "./constants.js";

/** Default time to wait for a busy lock before giving up with `ConflictError` (15 s). */
export const DEFAULT_LOCK_TIMEOUT_MS = 15_000;
/**
 * Default lease of a lock held on another host (10 s): its holder refreshes
 * the lock file's mtime every quarter of it; a lock whose file this host has
 * not seen change for that long is broken. Locks of live processes on this
 * host are never broken by age.
 */
export const DEFAULT_LOCK_STALE_MS = 10_000;
/** A lock file without readable content (not written by this version) is stale after this. */
const UNREADABLE_STALE_MS = 2_000;
/** How long a lock path that is not a regular file (FIFO, folder, symlink) is given to go away. */
const ODD_LOCK_WAIT_MS = 1_000;
const MIN_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 50;
/** Open for reading without following a final symlink and without blocking on a FIFO. */
const READ_SAFELY = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** `link()` is not available on this filesystem. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

/** How long to wait for a lock, and when a held lock counts as abandoned. */
export interface LockOptions {
  timeoutMs: number;
  staleMs: number;
}

/** A held lock: a lease its holder refreshes while it holds it. `release()` never throws. */
export interface HeldLock {
  /** The lock file as named in messages. */
  readonly path: string;
  /**
   * Refresh the lease and check that the lock file is still this holder's
   * (the same inode, which cannot be reused while we keep it open). `false`:
   * the lock was broken or deleted; the caller must not commit.
   */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** What a lock file says about its holder. */
interface LockInfo {
  pid: number;
  hostname: string;
  createdAt: string;
  token: string;
  /** The holder's start time in clock ticks since boot (`/proc/<pid>/stat`), when known: detects a reused pid. */
  startTicks?: string;
}

/**
 * Take the lock file `lockPath` (normally `<target>.lock`), waiting with
 * jittered backoff (5–50 ms) while another writer holds it.
 *
 * The lock file appears atomically with its content
 * `{ pid, hostname, createdAt, token, startTicks }` (written aside, then
 * hard-linked into place). While held, its mtime is refreshed every
 * `staleMs / 4` (a lease). A held lock is broken at once when its pid is on
 * this host and no longer alive (or the pid now belongs to a process started
 * later); a live pid on this host is never broken by age. A lock of another
 * host is broken when its file has not changed for `staleMs`, measured on
 * this host (its mtime against this host's clock, or how long this process
 * has seen it unchanged, whichever is longer), never by the time written
 * inside. Unreadable content is stale after 2 s. A lock path that is not a
 * regular file (FIFO, folder, symbolic link) is never opened for reading:
 * after at most 1 s it is reported as `ConflictError`.
 *
 * Breaking is race-safe: breakers take a guard file, check again, rename the
 * lock aside (only one wins the rename) and delete it only if it is still the
 * very file judged stale.
 *
 * Writers in this process queue in memory first, so they do not poll the
 * file against each other.
 *
 * @param label the lock's path as shown in messages and used for the
 *   in-process queue (`lockPath` itself may go through `/proc/self/fd`).
 * @throws ConflictError after `timeoutMs`, naming the lock file and how to remove it.
 */
export async function acquireLock(lockPath: string, options: LockOptions, label = lockPath): Promise<HeldLock> {
  const deadline = Date.now() + options.timeoutMs;
  const leaveQueue = await enterLocalQueue(label);
  try {
    const token = randomBytes(12).toString("hex");
    const info: LockInfo = { pid: process.pid, hostname: hostname(), createdAt: "", token };
    const startTicks = processStartTicks(process.pid);
    if (startTicks !== null) info.startTicks = startTicks;
    let oddSince: number | undefined;
    for (let attempt = 0; ; attempt++) {
      info.createdAt = new Date().toISOString();
      const content = JSON.stringify(info);
      const fh = await createLockFile(lockPath, content);
      if (fh) return holdLease(lockPath, label, fh, content, token, options.staleMs, leaveQueue);
      const holder = await inspect(lockPath, options.staleMs, label);
      if (holder.kind === "odd") {
        oddSince ??= Date.now();
        if (Date.now() - oddSince >= Math.min(options.timeoutMs, ODD_LOCK_WAIT_MS)) throw oddLockError(label, holder.what);
      } else {
        oddSince = undefined;
      }
      if (holder.kind === "gone" && attempt % 8 !== 7) continue;
      if (holder.kind === "stale") {
        if (Date.now() >= deadline) throw timeoutError(label, options.timeoutMs, parseLockInfo(holder.identity.text));
        await breakStaleLock(lockPath, label, options.staleMs);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw holder.kind === "odd" ? oddLockError(label, holder.what) : timeoutError(label, options.timeoutMs, holder.kind === "live" ? holder.info : null);
      }
      const cap = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(attempt + 1, 4));
      const delay = MIN_BACKOFF_MS + Math.random() * (cap - MIN_BACKOFF_MS);
      await sleep(Math.max(1, Math.min(delay, left)));
    }
  } catch (err) {
    leaveQueue();
    throw err;
  }
}

/** The held lock: refresh its mtime every `staleMs / 4` through our own handle (never someone else's file). */
function holdLease(
  lockPath: string,
  label: string,
  fh: FileHandle,
  content: string,
  token: string,
  staleMs: number,
  leaveQueue: () => void,
): HeldLock {
  const bytes = Buffer.from(content);
  let inoPromise: Promise<bigint> | undefined;
  const ino = (): Promise<bigint> => (inoPromise ??= fh.stat({ bigint: true }).then((s) => s.ino));
  // Rewriting the same bytes sets the mtime from the filesystem's clock (a remote server's, on NFS).
  const refresh = (): Promise<unknown> => fh.write(bytes, 0, bytes.length, 0);
  let released = false;
  const timer = setInterval(() => void refresh().catch(() => undefined), Math.max(10, staleMs / 4));
  timer.unref();
  return {
    path: label,
    stillHeld: async () => {
      if (released) return false;
      try {
        await refresh().catch(() => undefined); // a failed refresh shortens the lease; the check below still decides
        const [mine, now] = await Promise.all([ino(), lstat(lockPath, { bigint: true })]);
        return now.isFile() && now.ino === mine;
      } catch {
        return false;
      }
    },
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      try {
        // Remove the lock file only if it is still ours: our handle is open, so its inode cannot be reused.
        const [mine, now] = await Promise.all([ino(), readFileSafely(lockPath)]);
        if (now.kind === "file" && now.identity.ino === mine && parseToken(now.identity.text) === token) await unlink(lockPath);
      } catch {
        // Gone already (deleted, or broken as stale): it is not ours to remove.
      } finally {
        await fh.close().catch(() => undefined);
        leaveQueue();
      }
    },
  };
}

// ---------------------------------------------------------------------------
// in-process queue: one waiter per lock path polls the file, the rest wait here

const localQueues = new Map<string, Promise<void>>();

async function enterLocalQueue(lockPath: string): Promise<() => void> {
  const previous = localQueues.get(lockPath) ?? Promise.resolve();
  let leave!: () => void;
  const mine = new Promise<void>((resolve) => (leave = resolve));
  const tail = previous.then(() => mine);
  localQueues.set(lockPath, tail);
  await previous;
  let left = false;
  return () => {
    if (left) return;
    left = true;
    leave();
    if (localQueues.get(lockPath) === tail) localQueues.delete(lockPath);
  };
}

// ---------------------------------------------------------------------------
// the lock file

/** Which file a path held when we looked: inode, mtime and content together. */
interface FileIdentity {
  ino: bigint;
  mtimeNs: bigint;
  text: string;
}

type Holder =
  | { kind: "gone" }
  | { kind: "odd"; what: string }
  | { kind: "stale"; identity: FileIdentity }
  | { kind: "live"; info: LockInfo | null };

type Read = { kind: "file"; identity: FileIdentity } | { kind: "gone" } | { kind: "odd"; what: string };

/**
 * Read a regular file's identity through one handle, so inode, mtime and
 * content belong together. Never follows a final symbolic link and never
 * blocks on a FIFO.
 */
async function readFileSafely(file: string): Promise<Read> {
  let fh: FileHandle;
  try {
    fh = await open(file, READ_SAFELY);
  } catch (err) {
    const code = codeOf(err);
    if (code === "ENOENT") return { kind: "gone" };
    if (code === "ELOOP" || code === "EMLINK") return { kind: "odd", what: await describeOdd(file) };
    if (code === "ENXIO" || code === "EISDIR" || code === "EOPNOTSUPP") return { kind: "odd", what: await describeOdd(file) };
    throw err;
  }
  try {
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) return { kind: "odd", what: kindOf(st) };
    return { kind: "file", identity: { ino: st.ino, mtimeNs: st.mtimeNs, text: await fh.readFile("utf8") } };
  } finally {
    await fh.close();
  }
}

async function readIdentity(file: string): Promise<FileIdentity | null> {
  const r = await readFileSafely(file);
  return r.kind === "file" ? r.identity : null;
}

const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean =>
  a.ino === b.ino && a.mtimeNs === b.mtimeNs && a.text === b.text;

/** When this process first saw each lock file in its current state (monotonic clock). */
const firstSeen = new Map<string, { key: string; at: number }>();

/** How long this process has seen `file` in exactly this state (0 the first time). */
function unchangedFor(file: string, identity: FileIdentity): number {
  const key = `${identity.ino}:${identity.mtimeNs}:${identity.text}`;
  const now = performance.now();
  const seen = firstSeen.get(file);
  if (seen?.key === key) return now - seen.at;
  if (firstSeen.size > 1000) firstSeen.clear();
  firstSeen.set(file, { key, at: now });
  return 0;
}

async function inspect(lockPath: string, staleMs: number, label: string): Promise<Holder> {
  const read = await readFileSafely(lockPath);
  if (read.kind !== "file") return read;
  const identity = read.identity;
  const info = parseLockInfo(identity.text);
  // The file's age on this host: its mtime against our clock, or how long we have seen it unchanged
  // (a writer whose clock runs ahead may leave an mtime in the future).
  const age = Math.max(Date.now() - Number(identity.mtimeNs / 1_000_000n), unchangedFor(label, identity));
  if (!info) return age > UNREADABLE_STALE_MS ? { kind: "stale", identity } : { kind: "live", info: null };
  if (info.hostname === hostname()) {
    // A live process on this host is never judged by age: it may be paused (SIGSTOP, sleep, GC) and resume.
    return isProcessAlive(info.pid, info.startTicks) ? { kind: "live", info } : { kind: "stale", identity };
  }
  return age > staleMs ? { kind: "stale", identity } : { kind: "live", info };
}

/**
 * Remove a stale lock so that a fresh lock is never removed by mistake.
 *
 * Breakers first take a guard file (`.<lock name>.break.lztmp`, created
 * exclusively), so two processes never break the same lock at once (without
 * it, one could remove the lock that the other had just taken: inode numbers
 * are reused at once). Under the guard the lock is checked again, renamed
 * aside, and removed only if it is still the very file judged stale (inode,
 * mtime and content); otherwise it is put back.
 */
async function breakStaleLock(lockPath: string, label: string, staleMs: number): Promise<void> {
  const guard = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}.break${TEMP_SUFFIX}`);
  const token = randomBytes(12).toString("hex");
  const fh = await createExclusive(guard, JSON.stringify({ pid: process.pid, hostname: hostname(), token }));
  if (!fh) {
    // Another breaker is at work. A guard older than 2 s belongs to a breaker that died.
    const other = await readIdentity(guard);
    if (other && Date.now() - Number(other.mtimeNs / 1_000_000n) > UNREADABLE_STALE_MS) await removeIfSame(guard, other);
    else await sleep(1 + Math.random() * MIN_BACKOFF_MS);
    return;
  }
  await fh.close();
  try {
    const again = await inspect(lockPath, staleMs, label);
    if (again.kind === "stale") {
      await removeIfSame(lockPath, again.identity);
      firstSeen.delete(label);
    }
  } finally {
    const mine = await readIdentity(guard).catch(() => null);
    if (mine && parseToken(mine.text) === token) await unlink(guard).catch(() => undefined);
  }
}

/** Rename `file` aside and delete it if it is still `expected`; otherwise put it back. */
async function removeIfSame(file: string, expected: FileIdentity): Promise<void> {
  const aside = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}-${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`,
  );
  try {
    await rename(file, aside);
  } catch (err) {
    if (codeOf(err) === "ENOENT") return; // already gone
    throw err;
  }
  try {
    const moved = await readIdentity(aside);
    if (moved && !sameIdentity(moved, expected)) {
      // Not the file we judged: restore it, unless a newer one has appeared meanwhile.
      await link(aside, file).catch(() => undefined);
    }
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/**
 * Create the lock file with its whole content at once: write it aside, then
 * hard-link it into place (fails if anything, even a dangling symlink, is
 * there). Returns an open handle on it, or `null` if the path is taken.
 */
async function createLockFile(lockPath: string, content: string): Promise<FileHandle | null> {
  const aside = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}.${randomBytes(8).toString("hex")}${TEMP_SUFFIX}`);
  const fh = await createExclusive(aside, content);
  if (!fh) return null; // practically impossible (random name); treat as busy
  try {
    await link(aside, lockPath);
    return fh;
  } catch (err) {
    const code = codeOf(err) ?? "";
    if (code === "EEXIST") {
      await fh.close();
      return null;
    }
    if (!NO_HARD_LINKS.has(code)) {
      await fh.close();
      throw err;
    }
    await fh.close();
    // No hard links here: create the lock in place (a reader may see it empty for an instant).
    return createExclusive(lockPath, content);
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/** Create `file` with `content` unless anything exists at that path; its open handle, or `null`. */
async function createExclusive(file: string, content: string): Promise<FileHandle | null> {
  let fh;
  try {
    fh = await open(file, "wx+");
  } catch (err) {
    if (codeOf(err) === "EEXIST") return null;
    throw err;
  }
  try {
    await fh.writeFile(content);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw err;
  }
  return fh;
}

function parseLockInfo(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LockInfo> | null;
    if (
      typeof v !== "object" || v === null ||
      typeof v.pid !== "number" || !Number.isSafeInteger(v.pid) || v.pid <= 0 ||
      typeof v.hostname !== "string" || typeof v.createdAt !== "string"
    ) {
      return null;
    }
    const info: LockInfo = { pid: v.pid, hostname: v.hostname, createdAt: v.createdAt, token: typeof v.token === "string" ? v.token : "" };
    if (typeof v.startTicks === "string") info.startTicks = v.startTicks;
    return info;
  } catch {
    return null;
  }
}

function parseToken(text: string): string | null {
  try {
    const v = JSON.parse(text) as { token?: unknown } | null;
    return typeof v?.token === "string" ? v.token : null;
  } catch {
    return null;
  }
}

/** State and start time (clock ticks since boot) of a process, from Linux `/proc/<pid>/stat`; `null` where unknown. */
function processStat(pid: number): { state: string; startTicks: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] && fields[19] ? { state: fields[0], startTicks: fields[19] } : null;
  } catch {
    return null;
  }
}

function processStartTicks(pid: number): string | null {
  return processStat(pid)?.startTicks ?? null;
}

function isProcessAlive(pid: number, startTicks: string | undefined): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    if (codeOf(err) === "ESRCH") return false;
  }
  const now = processStat(pid);
  if (now === null) return true;
  // A zombie (killed, not yet reaped by its parent) holds nothing any more.
  if (now.state === "Z" || now.state === "X") return false;
  // If the holder recorded its start time, a different one means the pid was reused.
  return startTicks === undefined || now.startTicks === startTicks;
}

function timeoutError(lockPath: string, timeoutMs: number, info: LockInfo | null): ConflictError {
  const holder = info
    ? `held by pid ${info.pid} on ${info.hostname} since ${info.createdAt}`
    : "whose holder has not written its details yet";
  return new ConflictError(
    `timed out after ${timeoutMs} ms waiting for the lock file ${lockPath} (${holder}). ` +
      `If no lazyscribe process is still writing there, remove the lock file (rm ${JSON.stringify(lockPath)}) and try again.`,
  );
}

function oddLockError(lockPath: string, what: string): ConflictError {
  return new ConflictError(
    `the lock file ${lockPath} is ${what}, not a lock file lazyscribe writes, so no writer can take the lock. ` +
      `Remove it (rm -r ${JSON.stringify(lockPath)}) and try again.`,
  );
}

async function describeOdd(file: string): Promise<string> {
  try {
    return kindOf(await lstat(file));
  } catch {
    return "not a regular file";
  }
}

function kindOf(st: { isSymbolicLink(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isFile(): boolean }): string {
  if (st.isSymbolicLink()) return "a symbolic link";
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  return st.isFile() ? "a file" : "a device file";
}

/** The `code` of a Node system error, if any. */
export function codeOf(err: unknown): string | undefined {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}
