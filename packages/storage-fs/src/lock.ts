import { randomBytes } from "node:crypto";
import { link, open, rename, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConflictError } from "@lazyscribe/core/internal";
import { TEMP_SUFFIX } from "./constants.js";

/** Default time to wait for a busy lock before giving up with `ConflictError` (15 s). */
export const DEFAULT_LOCK_TIMEOUT_MS = 15_000;
/** Default age after which a lock held by a live (or remote) process counts as abandoned (10 s). */
export const DEFAULT_LOCK_STALE_MS = 10_000;
/** A lock file without readable content (its writer crashed right after creating it) is stale after this. */
const UNREADABLE_STALE_MS = 2_000;
const MIN_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 50;

/** How long to wait for a lock, and when a held lock counts as abandoned. */
export interface LockOptions {
  timeoutMs: number;
  staleMs: number;
}

/** A held lock. `release()` never throws. */
export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

/** What a lock file says about its holder. */
interface LockInfo {
  pid: number;
  hostname: string;
  createdAt: string;
  token: string;
}

/**
 * Take the lock file `lockPath` (normally `<target>.lock`), waiting with
 * jittered backoff (5–50 ms) while another writer holds it.
 *
 * The lock file is created exclusively and holds
 * `{ pid, hostname, createdAt, token }`. A held lock is stale, and is broken
 * at once, when its pid is on this host and no longer alive, when it is older
 * than `staleMs`, or when its content is unreadable and its mtime is more
 * than 2 s old. Breaking is race-safe: breakers take a guard file, check
 * again, rename the lock aside (only one wins the rename) and delete it only
 * if it is still the very file judged stale.
 *
 * Writers in this process queue in memory first, so they do not poll the
 * file against each other.
 *
 * @throws ConflictError after `timeoutMs`, naming the lock file and how to remove it.
 */
export async function acquireLock(lockPath: string, options: LockOptions): Promise<HeldLock> {
  const deadline = Date.now() + options.timeoutMs;
  const leaveQueue = await enterLocalQueue(lockPath);
  try {
    const token = randomBytes(12).toString("hex");
    for (let attempt = 0; ; attempt++) {
      const info: LockInfo = { pid: process.pid, hostname: hostname(), createdAt: new Date().toISOString(), token };
      if (await createExclusive(lockPath, JSON.stringify(info))) {
        let released = false;
        return {
          path: lockPath,
          release: async () => {
            if (released) return;
            released = true;
            try {
              await releaseFile(lockPath, token);
            } finally {
              leaveQueue();
            }
          },
        };
      }
      const holder = await inspect(lockPath, options.staleMs);
      if (holder.kind === "gone") continue;
      if (holder.kind === "stale") {
        if (Date.now() >= deadline) throw timeoutError(lockPath, options.timeoutMs, parseLockInfo(holder.identity.text));
        await breakStaleLock(lockPath, options.staleMs);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw timeoutError(lockPath, options.timeoutMs, holder.info);
      const cap = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(attempt + 1, 4));
      const delay = MIN_BACKOFF_MS + Math.random() * (cap - MIN_BACKOFF_MS);
      await sleep(Math.max(1, Math.min(delay, left)));
    }
  } catch (err) {
    leaveQueue();
    throw err;
  }
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
  | { kind: "stale"; identity: FileIdentity }
  | { kind: "live"; info: LockInfo | null };

/** Read a file's identity through one handle, so inode, mtime and content belong together; `null` if missing. */
async function readIdentity(file: string): Promise<FileIdentity | null> {
  let fh;
  try {
    fh = await open(file, "r");
  } catch (err) {
    if (codeOf(err) === "ENOENT") return null;
    throw err;
  }
  try {
    const st = await fh.stat({ bigint: true });
    return { ino: st.ino, mtimeNs: st.mtimeNs, text: await fh.readFile("utf8") };
  } finally {
    await fh.close();
  }
}

const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean =>
  a.ino === b.ino && a.mtimeNs === b.mtimeNs && a.text === b.text;

async function inspect(lockPath: string, staleMs: number): Promise<Holder> {
  const identity = await readIdentity(lockPath);
  if (identity === null) return { kind: "gone" };
  const info = parseLockInfo(identity.text);
  const now = Date.now();
  const mtimeMs = Number(identity.mtimeNs / 1_000_000n);
  if (!info) {
    return now - mtimeMs > UNREADABLE_STALE_MS ? { kind: "stale", identity } : { kind: "live", info: null };
  }
  if (info.hostname === hostname() && !isProcessAlive(info.pid)) return { kind: "stale", identity };
  const created = Date.parse(info.createdAt);
  const age = now - (Number.isFinite(created) ? created : mtimeMs);
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
async function breakStaleLock(lockPath: string, staleMs: number): Promise<void> {
  const guard = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}.break${TEMP_SUFFIX}`);
  const token = randomBytes(12).toString("hex");
  const taken = await createExclusive(guard, JSON.stringify({ pid: process.pid, hostname: hostname(), token }));
  if (!taken) {
    // Another breaker is at work. A guard older than 2 s belongs to a breaker that died.
    const other = await readIdentity(guard);
    if (other && Date.now() - Number(other.mtimeNs / 1_000_000n) > UNREADABLE_STALE_MS) await removeIfSame(guard, other);
    else await sleep(1 + Math.random() * MIN_BACKOFF_MS);
    return;
  }
  try {
    const again = await inspect(lockPath, staleMs);
    if (again.kind === "stale") await removeIfSame(lockPath, again.identity);
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

/** Create `file` with `content` unless it exists; `false` if it does. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, "wx");
  } catch (err) {
    if (codeOf(err) === "EEXIST") return false;
    throw err;
  }
  try {
    await fh.writeFile(content);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw err;
  }
  await fh.close();
  return true;
}

/** Remove the lock file only if it still holds our token. */
async function releaseFile(lockPath: string, token: string): Promise<void> {
  try {
    const fh = await open(lockPath, "r");
    let info: LockInfo | null;
    try {
      info = parseLockInfo(await fh.readFile("utf8"));
    } finally {
      await fh.close();
    }
    if (info !== null && info.token === token) await unlink(lockPath);
  } catch {
    // Gone already (broken as stale) or unreadable: it is not ours to remove.
  }
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
    return { pid: v.pid, hostname: v.hostname, createdAt: v.createdAt, token: typeof v.token === "string" ? v.token : "" };
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

function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return codeOf(err) !== "ESRCH";
  }
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

/** The `code` of a Node system error, if any. */
export function codeOf(err: unknown): string | undefined {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}
