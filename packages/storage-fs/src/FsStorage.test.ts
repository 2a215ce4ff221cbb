import { mkdir, readFile, readdir, stat, symlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FsStorage } from "./index.js";
import { codeOfRejection, deadPid, plantLock, tempDir, text } from "./testHelpers.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

describe("FsStorage layout", () => {
  it("stores key a/b.txt as the file <root>/a/b.txt and leaves no lock or temp file", async () => {
    const storage = new FsStorage(dir);
    await storage.write("a/b.txt", "hello");
    await storage.write("a/b.txt", "hello again", { ifMatch: (await storage.stat("a/b.txt"))!.etag });
    expect(await readFile(path.join(dir, "a", "b.txt"), "utf8")).toBe("hello again");
    expect(await readdir(path.join(dir, "a"))).toEqual(["b.txt"]);
  });

  it("describes itself as file://<root>", () => {
    expect(new FsStorage(dir).description).toBe(`file://${dir}`);
    expect(new FsStorage("rel/dir").root).toBe(path.resolve("rel/dir"));
  });

  it("rejects bad options", () => {
    expect(() => new FsStorage("")).toThrow(/root folder/);
    expect(() => new FsStorage(dir, { lockTimeoutMs: -1 })).toThrow(/lockTimeoutMs/);
    expect(() => new FsStorage(dir, { lockStaleMs: Number.NaN })).toThrow(/lockStaleMs/);
  });

  it("gives a new etag on every rewrite even when inode numbers are reused", async () => {
    const storage = new FsStorage(dir);
    const etags = new Set<string>();
    let lastMtime = 0;
    for (let i = 0; i < 150; i++) {
      const st = await storage.write("m.json", "same size!");
      etags.add(st.etag);
      expect(st.mtime.getTime()).toBeGreaterThanOrEqual(lastMtime);
      lastMtime = st.mtime.getTime();
    }
    expect(etags.size).toBe(150);
  });

  it("keeps a replacement's mtime newer than the file it replaces", async () => {
    const storage = new FsStorage(dir);
    await storage.write("m.json", "v1");
    // e.g. a clock step back, or a coarse clock: the current file looks newer than "now"
    const future = new Date(Date.now() + 3_600_000);
    await utimes(path.join(dir, "m.json"), future, future);
    const before = (await storage.stat("m.json"))!;
    const after = await storage.write("m.json", "v2");
    expect(after.mtime.getTime()).toBeGreaterThanOrEqual(before.mtime.getTime());
    const ns = (etag: string): bigint => BigInt(etag.split("-")[2]!);
    expect(ns(after.etag) > ns(before.etag)).toBe(true);
    expect((await storage.stat("m.json"))?.etag).toBe(after.etag);
  });

  it("readStream hands out chunks of at most 1 MiB", async () => {
    const storage = new FsStorage(dir);
    await storage.write("big.bin", new Uint8Array(3 * 1024 * 1024 + 5).fill(7));
    const sizes: number[] = [];
    const reader = (await storage.readStream("big.bin")).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      sizes.push(value.byteLength);
    }
    expect(sizes).toEqual([1 << 20, 1 << 20, 1 << 20, 5]);
  });
});

describe("FsStorage: a folder where the file should be", () => {
  it("fails at once with EISDIR, whatever the precondition (not a CONFLICT after retries)", async () => {
    const storage = new FsStorage(dir);
    await mkdir(path.join(dir, "repository.json"));
    for (const options of [{}, { ifNoneMatch: "*" as const }, { ifMatch: "some-etag" }]) {
      const err = await storage.write("repository.json", "[]", options).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code: "STORAGE", osCode: "EISDIR" });
      expect((err as Error).message).toContain(`${path.join(dir, "repository.json")} is a folder`);
    }
    expect(await readdir(path.join(dir, "repository.json"))).toEqual([]);
  });
});

describe("FsStorage temp files", () => {
  it("a temp file left by a crashed writer is not visible at the target, but is listed for gc", async () => {
    const storage = new FsStorage(dir);
    await storage.write("m/repository.json", "[]");
    const leftover = ".repository.json.4242-deadbeef0000.lztmp";
    await writeFile(path.join(dir, "m", leftover), "[half a manif");
    expect(text(await storage.read("m/repository.json"))).toBe("[]");
    expect((await storage.list("m/")).sort()).toEqual([`m/${leftover}`, "m/repository.json"]);
    expect((await storage.stat(`m/${leftover}`))?.size).toBe(13);
    await storage.delete(`m/${leftover}`);
    expect(await storage.list("")).toEqual(["m/repository.json"]);
  });

  it("a crashed first write leaves only a temp file: the key stays missing", async () => {
    const storage = new FsStorage(dir);
    await writeFile(path.join(dir, ".x.json.4242-deadbeef0000.lztmp"), "partial");
    expect(await storage.stat("x.json")).toBeNull();
    expect(await codeOfRejection(storage.read("x.json"))).toBe("STORAGE_NOT_FOUND");
    await storage.write("x.json", "whole", { ifNoneMatch: "*" });
    expect(text(await storage.read("x.json"))).toBe("whole");
  });

  it("removes its temp file when the commit fails", async () => {
    const storage = new FsStorage(dir);
    await storage.write("k.txt", "old");
    expect(await codeOfRejection(storage.write("k.txt", "new", { ifNoneMatch: "*" }))).toBe("PRECONDITION_FAILED");
    expect(await codeOfRejection(storage.write("k.txt", "new", { ifMatch: "1-2-3" }))).toBe("PRECONDITION_FAILED");
    expect(await codeOfRejection(storage.copy("k.txt", "k.txt", { ifNoneMatch: "*" }))).toBe("PRECONDITION_FAILED");
    expect(await readdir(dir)).toEqual(["k.txt"]);
  });

  it("removes its temp file when the source stream fails, and cancels nothing twice", async () => {
    const storage = new FsStorage(dir);
    const cancel = vi.fn();
    let pulls = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++ < 3) c.enqueue(new Uint8Array(300_000));
        else c.error(new Error("network dropped"));
      },
      cancel,
    });
    await expect(storage.write("k.bin", failing)).rejects.toThrow("network dropped");
    expect(cancel).not.toHaveBeenCalled();
    expect(await readdir(dir)).toEqual([]);
  });

  it("cancels the source stream when the write fails on its side", async () => {
    const storage = new FsStorage(dir);
    const cancel = vi.fn();
    const bad = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(42 as unknown as Uint8Array);
      },
      cancel,
    });
    await expect(storage.write("k.bin", bad)).rejects.toThrow(/Uint8Array/);
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("FsStorage locks", () => {
  it("breaks a lock of a dead process at once", async () => {
    const storage = new FsStorage(dir, { lockTimeoutMs: 2_000, lockStaleMs: 60_000 });
    const first = await storage.write("repository.json", "[]");
    await plantLock(path.join(dir, "repository.json.lock"), { pid: deadPid() });
    await storage.write("repository.json", "[1]", { ifMatch: first.etag });
    expect(text(await storage.read("repository.json"))).toBe("[1]");
    expect(await readdir(dir)).toEqual(["repository.json"]);
  });

  it("breaks another host's lock whose file is older than lockStaleMs", async () => {
    const storage = new FsStorage(dir, { lockTimeoutMs: 2_000, lockStaleMs: 500 });
    await plantLock(path.join(dir, "repository.json.lock"), { pid: process.ppid, host: "elsewhere", ageMs: 30_000, mtimeAgeMs: 30_000 });
    await storage.write("repository.json", "[]");
    expect(await readdir(dir)).toEqual(["repository.json"]);
  });

  it("a fresh live lock makes a compare-and-swap write wait, then fail with CONFLICT", async () => {
    const storage = new FsStorage(dir, { lockTimeoutMs: 120, lockStaleMs: 60_000 });
    const first = await storage.write("repository.json", "[]");
    const lockPath = path.join(dir, "repository.json.lock");
    await plantLock(lockPath, { pid: process.ppid });
    const started = Date.now();
    const err = await storage.write("repository.json", "[1]", { ifMatch: first.etag }).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(err?.code).toBe("CONFLICT");
    expect(err?.message).toContain(lockPath);
    expect(text(await storage.read("repository.json"))).toBe("[]");
    // unconditional writes serialize with compare-and-swap writers, so they wait too
    expect(await codeOfRejection(storage.write("repository.json", "[2]"))).toBe("CONFLICT");
    expect((await readdir(dir)).sort()).toEqual(["repository.json", "repository.json.lock"]);
  });

  it('ifNoneMatch: "*" needs no lock (link never overwrites)', async () => {
    const storage = new FsStorage(dir, { lockTimeoutMs: 50 });
    await plantLock(path.join(dir, "artifact.bin.lock"), { pid: process.ppid });
    await storage.write("artifact.bin", "payload", { ifNoneMatch: "*" });
    expect(text(await storage.read("artifact.bin"))).toBe("payload");
  });

  it("compare-and-swap through separate module copies (file lock only) loses no update", async () => {
    const copies: Array<typeof import("./index.js")> = [];
    for (let i = 0; i < 3; i++) {
      vi.resetModules();
      copies.push(await import("./index.js"));
    }
    expect(new Set(copies.map((m) => m.FsStorage)).size).toBe(3);
    const storages = copies.map((m) => new m.FsStorage(dir, { lockTimeoutMs: 10_000 }));
    await storages[0]!.write("counter.txt", "0");
    const perWriter = 15;
    await Promise.all(
      storages.flatMap((s) => [s, s]).map(async (s) => {
        for (let done = 0; done < perWriter; ) {
          const st = (await s.stat("counter.txt"))!;
          const value = Number(text(await s.read("counter.txt")));
          try {
            await s.write("counter.txt", String(value + 1), { ifMatch: st.etag });
            done++;
          } catch (err) {
            if ((err as { code?: string }).code !== "PRECONDITION_FAILED") throw err;
          }
        }
      }),
    );
    expect(text(await storages[1]!.read("counter.txt"))).toBe(String(6 * perWriter));
    expect(await readdir(dir)).toEqual(["counter.txt"]);
  });
});

describe("FsStorage symbolic links", () => {
  let outside: string;
  let cleanupOutside: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: outside, cleanup: cleanupOutside } = await tempDir());
    await writeFile(path.join(outside, "secret.txt"), "secret");
  });
  afterEach(() => cleanupOutside());

  it("refuses a folder link that leads outside the root", async () => {
    const storage = new FsStorage(dir);
    await symlink(outside, path.join(dir, "link"), "dir");
    expect(await codeOfRejection(storage.read("link/secret.txt"))).toBe("INVALID_NAME");
    expect(await codeOfRejection(storage.readStream("link/secret.txt"))).toBe("INVALID_NAME");
    expect(await codeOfRejection(storage.stat("link/secret.txt"))).toBe("INVALID_NAME");
    expect(await codeOfRejection(storage.write("link/new.txt", "x"))).toBe("INVALID_NAME");
    expect(await codeOfRejection(storage.write("link/deep/er/new.txt", "x"))).toBe("INVALID_NAME");
    expect(await codeOfRejection(storage.copy("link/secret.txt", "copy.txt"))).toBe("INVALID_NAME");
    expect(await codeOfRejection(storage.delete("link/secret.txt"))).toBe("INVALID_NAME");
    expect(await storage.list("link/")).toEqual([]);
    expect(await readdir(outside)).toEqual(["secret.txt"]);
    expect(await readFile(path.join(outside, "secret.txt"), "utf8")).toBe("secret");
  });

  it("refuses a file link that leads outside the root", async () => {
    const storage = new FsStorage(dir);
    await symlink(path.join(outside, "secret.txt"), path.join(dir, "evil.txt"));
    expect(await codeOfRejection(storage.read("evil.txt"))).toBe("INVALID_NAME");
    expect(await codeOfRejection(storage.copy("evil.txt", "copy.txt"))).toBe("INVALID_NAME");
    expect(await readdir(dir)).toEqual(["evil.txt"]);
  });

  it("follows links that stay inside the root, and a root that is itself a link", async () => {
    await mkdir(path.join(dir, "real"));
    await writeFile(path.join(dir, "real", "f.txt"), "inside");
    await symlink(path.join(dir, "real"), path.join(dir, "alias"), "dir");
    const rootLink = path.join(outside, "root-link");
    await symlink(dir, rootLink, "dir");
    const storage = new FsStorage(rootLink);
    expect(text(await storage.read("alias/f.txt"))).toBe("inside");
    await storage.write("alias/g.txt", "via alias");
    expect(await readFile(path.join(dir, "real", "g.txt"), "utf8")).toBe("via alias");
    expect((await stat(path.join(dir, "real", "g.txt"))).isFile()).toBe(true);
  });
});

describe("FsStorage options", () => {
  it("rejects an unknown durability", () => {
    expect(() => new FsStorage("/tmp/x", { durability: "maybe" as never })).toThrow(/durability/);
  });
});
