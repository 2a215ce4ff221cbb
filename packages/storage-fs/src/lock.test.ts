import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { lstat, mkdir, readFile, readdir, stat, symlink, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock } from "./lock.js";
import { codeOfRejection, deadPid, plantLock, tempDir } from "./testHelpers.js";

let dir: string;
let cleanup: () => Promise<void>;
let lockPath: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  lockPath = path.join(dir, "repository.json.lock");
});
afterEach(() => cleanup());

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

describe("acquireLock", () => {
  it("creates a lock file with pid, hostname and createdAt, and removes it on release", async () => {
    const lock = await acquireLock(lockPath, { timeoutMs: 1_000, staleMs: 10_000 });
    const info = JSON.parse(await readFile(lockPath, "utf8")) as Record<string, unknown>;
    expect(info.pid).toBe(process.pid);
    expect(info.hostname).toBe(hostname());
    expect(Number.isFinite(Date.parse(String(info.createdAt)))).toBe(true);
    await lock.release();
    expect(await exists(lockPath)).toBe(false);
    await lock.release(); // idempotent
  });

  it("queues writers of this process one after another", async () => {
    const order: string[] = [];
    const first = await acquireLock(lockPath, { timeoutMs: 5_000, staleMs: 10_000 });
    const second = acquireLock(lockPath, { timeoutMs: 5_000, staleMs: 10_000 }).then((l) => {
      order.push("second acquired");
      return l;
    });
    await new Promise((r) => setTimeout(r, 20));
    order.push("first releases");
    await first.release();
    await (await second).release();
    expect(order).toEqual(["first releases", "second acquired"]);
    expect(await exists(lockPath)).toBe(false);
  });

  it("release leaves a lock that is no longer ours", async () => {
    const lock = await acquireLock(lockPath, { timeoutMs: 1_000, staleMs: 10_000 });
    // Someone judged ours stale, broke it and took the lock.
    await unlink(lockPath);
    await writeFile(lockPath, JSON.stringify({ pid: process.ppid, hostname: hostname(), createdAt: new Date().toISOString(), token: "theirs" }));
    await lock.release();
    expect(JSON.parse(await readFile(lockPath, "utf8")).token).toBe("theirs");
  });

  it("breaks a lock of a dead process on this host at once", async () => {
    await plantLock(lockPath, { pid: deadPid() });
    const lock = await acquireLock(lockPath, { timeoutMs: 2_000, staleMs: 60_000 });
    expect(JSON.parse(await readFile(lockPath, "utf8")).pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(dir)).toEqual([]); // no renamed-aside leftovers
  });

  it("does not judge a pid from another host by this host's processes", async () => {
    await plantLock(lockPath, { pid: deadPid(), host: `not-${hostname()}` });
    expect(await codeOfRejection(acquireLock(lockPath, { timeoutMs: 60, staleMs: 60_000 }))).toBe("CONFLICT");
  });

  it("never breaks the lock of a live process on this host by age alone (it may be paused)", async () => {
    await plantLock(lockPath, { pid: process.ppid, ageMs: 60_000, mtimeAgeMs: 60_000 });
    expect(await codeOfRejection(acquireLock(lockPath, { timeoutMs: 150, staleMs: 50 }))).toBe("CONFLICT");
    expect(JSON.parse(await readFile(lockPath, "utf8")).token).toBe("planted");
  });

  it("breaks a lock whose pid now belongs to a process started later", { skip: !existsSync("/proc/self/stat") }, async () => {
    await plantLock(lockPath, { pid: process.ppid, startTicks: "1" });
    const lock = await acquireLock(lockPath, { timeoutMs: 2_000, staleMs: 60_000 });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("breaks a lock of a killed process that its parent has not reaped yet (a zombie)", { skip: !existsSync("/proc/self/stat") }, async () => {
    // A shell whose child is killed while the shell sleeps: the child stays a zombie until the shell exits.
    const shell = spawn("sh", ["-c", "sleep 30 & echo $!; kill -9 $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const pid = Number(await new Promise<string>((resolve) => shell.stdout.once("data", (d) => resolve(String(d).trim()))));
      for (let i = 0; i < 100 && !/\) Z /.test(await readFile(`/proc/${pid}/stat`, "utf8")); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await readFile(`/proc/${pid}/stat`, "utf8")).toMatch(/\) Z /);
      await plantLock(lockPath, { pid });
      const lock = await acquireLock(lockPath, { timeoutMs: 2_000, staleMs: 60_000 });
      await lock.release();
    } finally {
      shell.kill("SIGKILL");
    }
  });

  it("judges another host's lock by its file's age on this host, not by the time written inside", async () => {
    const other = `not-${hostname()}`;
    // Its clock runs an hour ahead, but the file has not changed here for a minute: abandoned.
    await plantLock(lockPath, { pid: 4242, host: other, ageMs: -3_600_000, mtimeAgeMs: 60_000 });
    const lock = await acquireLock(lockPath, { timeoutMs: 2_000, staleMs: 1_000 });
    expect(JSON.parse(await readFile(lockPath, "utf8")).pid).toBe(process.pid);
    await lock.release();
    // Its clock runs an hour behind, but its file was just refreshed: alive.
    await plantLock(lockPath, { pid: 4242, host: other, ageMs: 3_600_000, mtimeAgeMs: 0 });
    expect(await codeOfRejection(acquireLock(lockPath, { timeoutMs: 100, staleMs: 1_000 }))).toBe("CONFLICT");
  });

  it("breaks another host's lock with an mtime in the future once this host has seen it unchanged for staleMs", async () => {
    await plantLock(lockPath, { pid: 4242, host: `not-${hostname()}`, mtimeAgeMs: -3_600_000 });
    const lock = await acquireLock(lockPath, { timeoutMs: 5_000, staleMs: 150 });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("refreshes its lease (the lock file's mtime) while held", async () => {
    const lock = await acquireLock(lockPath, { timeoutMs: 1_000, staleMs: 40 });
    const past = new Date(Date.now() - 60_000);
    await utimes(lockPath, past, past);
    for (let i = 0; i < 200 && (await stat(lockPath)).mtimeMs < Date.now() - 30_000; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await stat(lockPath)).mtimeMs).toBeGreaterThan(Date.now() - 30_000);
    await lock.release();
  });

  it("stillHeld() is false once the lock file was deleted or replaced", async () => {
    const lock = await acquireLock(lockPath, { timeoutMs: 1_000, staleMs: 10_000 });
    expect(await lock.stillHeld()).toBe(true);
    await unlink(lockPath);
    expect(await lock.stillHeld()).toBe(false);
    await plantLock(lockPath, { pid: process.ppid, token: "theirs" });
    expect(await lock.stillHeld()).toBe(false);
    await lock.release();
    expect(JSON.parse(await readFile(lockPath, "utf8")).token).toBe("theirs");
  });

  it("waits for a fresh live lock and times out with CONFLICT naming the lock file", async () => {
    await plantLock(lockPath, { pid: process.ppid });
    const err = await acquireLock(lockPath, { timeoutMs: 100, staleMs: 60_000 }).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe("CONFLICT");
    expect(err?.message).toContain(lockPath);
    expect(err?.message).toContain(`pid ${process.ppid}`);
    expect(err?.message).toMatch(/remove the lock file/);
    // someone else's live lock is left alone
    expect(JSON.parse(await readFile(lockPath, "utf8")).token).toBe("planted");
  });

  it("takes the lock as soon as a live holder releases it", async () => {
    await plantLock(lockPath, { pid: process.ppid });
    const { unlink } = await import("node:fs/promises");
    setTimeout(() => void unlink(lockPath), 40);
    const lock = await acquireLock(lockPath, { timeoutMs: 5_000, staleMs: 60_000 });
    expect(JSON.parse(await readFile(lockPath, "utf8")).pid).toBe(process.pid);
    await lock.release();
  });

  it("treats an unreadable lock as live while it is young", async () => {
    await writeFile(lockPath, ""); // its writer is between create and write
    expect(await codeOfRejection(acquireLock(lockPath, { timeoutMs: 60, staleMs: 60_000 }))).toBe("CONFLICT");
  });

  it("breaks an unreadable lock older than 2 seconds", async () => {
    await writeFile(lockPath, "{not json");
    const past = new Date(Date.now() - 5_000);
    await utimes(lockPath, past, past);
    const lock = await acquireLock(lockPath, { timeoutMs: 2_000, staleMs: 60_000 });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("lets exactly one of many breakers of a stale lock hold it at a time", async () => {
    // Separate module copies have separate in-process queues, so they race on the file.
    const copies: Array<typeof import("./lock.js")> = [];
    for (let i = 0; i < 4; i++) copies.push(await freshLockModule());
    expect(new Set(copies.map((m) => m.acquireLock)).size).toBe(4);
    let holders = 0;
    let maxHolders = 0;
    const holdBriefly = async (m: (typeof copies)[number]): Promise<void> => {
      const lock = await m.acquireLock(lockPath, { timeoutMs: 10_000, staleMs: 60_000 });
      holders++;
      maxHolders = Math.max(maxHolders, holders);
      await new Promise((r) => setTimeout(r, 1));
      holders--;
      await lock.release();
    };
    for (let round = 0; round < 40; round++) {
      await plantLock(lockPath, { pid: deadPid() });
      await Promise.all(copies.map((m) => holdBriefly(m)));
    }
    await Promise.all(copies.map(async (m) => { for (let i = 0; i < 5; i++) await holdBriefly(m); }));
    expect(maxHolders).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("acquireLock on a lock path that is not a regular file", () => {
  // A long timeout: the lock must be reported after a short bounded wait, not after it (nor never).
  const options = { timeoutMs: 60_000, staleMs: 60_000 };
  const expectConflictNaming = async (what: RegExp): Promise<void> => {
    const err = await acquireLock(lockPath, options).then(() => null, (e: unknown) => e as Error & { code: string });
    expect(err?.code).toBe("CONFLICT");
    expect(err?.message).toContain(lockPath);
    expect(err?.message).toMatch(what);
  };

  it("a dangling symbolic link", { timeout: 10_000 }, async () => {
    await symlink(path.join(dir, "nowhere"), lockPath);
    await expectConflictNaming(/symbolic link/);
    expect((await lstat(lockPath)).isSymbolicLink()).toBe(true);
    expect(existsSync(path.join(dir, "nowhere"))).toBe(false);
  });

  it("a symbolic link to a file", { timeout: 10_000 }, async () => {
    await writeFile(path.join(dir, "real"), "{}");
    await symlink(path.join(dir, "real"), lockPath);
    await expectConflictNaming(/symbolic link/);
  });

  it("a FIFO (never opened for reading, which would block)", { timeout: 10_000 }, async () => {
    execFileSync("mkfifo", [lockPath]);
    await expectConflictNaming(/FIFO/);
  });

  it("a folder", { timeout: 10_000 }, async () => {
    await mkdir(lockPath);
    await writeFile(path.join(lockPath, "inside"), "x");
    await expectConflictNaming(/folder/);
    expect(await readdir(lockPath)).toEqual(["inside"]);
  });
});

async function freshLockModule(): Promise<typeof import("./lock.js")> {
  const { vi } = await import("vitest");
  vi.resetModules();
  return import("./lock.js");
}
