/**
 * `@lazyscribe/core/testing`: the storage conformance suite. Every
 * {@link StorageBackend} (memory, local files, object storage, your own) runs
 * it from its own vitest file, so they all behave the same way.
 *
 * Errors are checked by their stable `code` (not `instanceof`), so a backend
 * built against another copy of `@lazyscribe/core` passes too.
 *
 * @packageDocumentation
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ByteStream, StorageBackend, StorageStat } from "./storage/StorageBackend.js";

/** What the factory of {@link storageConformanceSuite} returns for each test. */
export interface StorageUnderTest {
  /** A fresh, empty backend. */
  storage: StorageBackend;
  /** Called after the test (remove temp folders, buckets, ...). */
  cleanup?: () => Promise<void>;
}

/** Makes a fresh, empty backend for one test. */
export type StorageFactory = () => Promise<StorageUnderTest> | StorageUnderTest;

/** What a backend declares about itself to {@link storageConformanceSuite}. */
export interface ConformanceOptions {
  /**
   * Etags are hashes of the content (S3: MD5), so rewriting the same bytes
   * keeps the etag. Compare-and-swap stays safe: an `ifMatch` that succeeds
   * replaces exactly the content it was computed against.
   */
  etagsAreContentHashes?: boolean;
  /** Also list this many keys (default 0: skipped), to cross a backend's page size (S3: 1000). */
  manyKeys?: number;
}

/** Keys every backend must refuse with `INVALID_NAME`, writing nothing. */
export const INVALID_STORAGE_KEYS: readonly string[] = [
  "../x",
  "/abs",
  "a/../b",
  "a\u0000b",
  "",
  "a//b",
  "./a",
  "a/",
  "a\\b",
  "C:/x",
  "x/\u001fy",
];

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MiB = 1024 * 1024;

/**
 * Register a vitest `describe(name)` block that checks every method of the
 * {@link StorageBackend} contract: missing keys, all data shapes, nested keys,
 * stat and etags, `ifMatch` / `ifNoneMatch` preconditions (also under
 * concurrency), listing by prefix, delete, copy, invalid keys, failed streamed
 * writes leaving nothing behind, and a 5 MiB streamed round trip.
 *
 * `makeStorage` is called before each test and must return an empty backend;
 * the optional `cleanup` runs after it.
 *
 * @example
 * // my-backend.test.ts
 * import { storageConformanceSuite } from "@lazyscribe/core/testing";
 * import { MemoryStorage } from "@lazyscribe/core";
 *
 * storageConformanceSuite("MemoryStorage", () => ({ storage: new MemoryStorage() }));
 */
export function storageConformanceSuite(name: string, makeStorage: StorageFactory, options: ConformanceOptions = {}): void {
  describe(name, () => {
    let storage: StorageBackend;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      const made = await makeStorage();
      storage = made.storage;
      cleanup = made.cleanup;
    });
    afterEach(async () => {
      const c = cleanup;
      cleanup = undefined;
      await c?.();
    });

    const listAll = async (prefix = ""): Promise<string[]> => [...(await storage.list(prefix))].sort();

    describe("description", () => {
      it("is a non-empty string", () => {
        expect(typeof storage.description).toBe("string");
        expect(storage.description.length).toBeGreaterThan(0);
      });
    });

    describe("missing keys", () => {
      it("read of a missing key throws STORAGE_NOT_FOUND", async () => {
        expect(await codeOf(() => storage.read("missing.txt"))).toBe("STORAGE_NOT_FOUND");
        expect(await codeOf(() => storage.read("no/such/folder/missing.txt"))).toBe("STORAGE_NOT_FOUND");
      });

      it("readStream of a missing key throws STORAGE_NOT_FOUND before returning a stream", async () => {
        expect(await codeOf(() => storage.readStream("missing.txt"))).toBe("STORAGE_NOT_FOUND");
        expect(await codeOf(() => storage.readStream("no/such/folder/missing.txt"))).toBe("STORAGE_NOT_FOUND");
      });

      it("stat of a missing key is null", async () => {
        expect(await storage.stat("missing.txt")).toBeNull();
        expect(await storage.stat("no/such/folder/missing.txt")).toBeNull();
      });

      it("a folder is not a key", async () => {
        await storage.write("dir/sub/file.txt", "x");
        expect(await storage.stat("dir")).toBeNull();
        expect(await storage.stat("dir/sub")).toBeNull();
        expect(await codeOf(() => storage.read("dir"))).toBe("STORAGE_NOT_FOUND");
        expect(await codeOf(() => storage.readStream("dir/sub"))).toBe("STORAGE_NOT_FOUND");
      });
    });

    describe("write and read", () => {
      it("writes a Uint8Array and returns its stat", async () => {
        const bytes = new Uint8Array([0, 1, 2, 250, 255]);
        const written = await storage.write("bytes.bin", bytes);
        expect(written.size).toBe(5);
        expect(Array.from(await storage.read("bytes.bin"))).toEqual([0, 1, 2, 250, 255]);
        expectSameStat(await storage.stat("bytes.bin"), written);
      });

      it("writes a Uint8Array view (subarray) as exactly its bytes", async () => {
        const backing = new Uint8Array([9, 9, 1, 2, 3, 9, 9]);
        await storage.write("view.bin", backing.subarray(2, 5));
        expect(Array.from(await storage.read("view.bin"))).toEqual([1, 2, 3]);
      });

      it("writes a string as UTF-8", async () => {
        const text = "héllo wörld ✓ 🚀\n";
        const written = await storage.write("text.txt", text);
        const expected = encoder.encode(text);
        expect(written.size).toBe(expected.byteLength);
        expect(Array.from(await storage.read("text.txt"))).toEqual(Array.from(expected));
        expect(decoder.decode(await storage.read("text.txt"))).toBe(text);
      });

      it("writes a ReadableStream of several chunks", async () => {
        const chunks = [encoder.encode("one,"), encoder.encode("two,"), new Uint8Array(0), encoder.encode("three")];
        const written = await storage.write("stream.txt", streamOf(chunks));
        expect(written.size).toBe(13);
        expect(decoder.decode(await storage.read("stream.txt"))).toBe("one,two,three");
      });

      it("writes an AsyncIterable of several chunks", async () => {
        async function* gen(): AsyncGenerator<Uint8Array> {
          yield encoder.encode("alpha-");
          yield encoder.encode("beta-");
          yield encoder.encode("gamma");
        }
        const written = await storage.write("iter.txt", gen());
        expect(written.size).toBe(16);
        expect(decoder.decode(await storage.read("iter.txt"))).toBe("alpha-beta-gamma");
      });

      it("writes empty content", async () => {
        const written = await storage.write("empty.bin", new Uint8Array(0));
        expect(written.size).toBe(0);
        expect((await storage.read("empty.bin")).byteLength).toBe(0);
        expect((await readAll(await storage.readStream("empty.bin"))).byteLength).toBe(0);
        expect((await storage.stat("empty.bin"))?.size).toBe(0);
        await storage.write("empty-stream.bin", streamOf([]));
        expect((await storage.read("empty-stream.bin")).byteLength).toBe(0);
      });

      it("does not keep a reference to the caller's buffers", async () => {
        const bytes = encoder.encode("original");
        await storage.write("alias-bytes.txt", bytes);
        bytes.fill(0x21);
        expect(decoder.decode(await storage.read("alias-bytes.txt"))).toBe("original");

        const chunk = encoder.encode("streamed");
        await storage.write("alias-stream.txt", streamOf([chunk]));
        chunk.fill(0x21);
        expect(decoder.decode(await storage.read("alias-stream.txt"))).toBe("streamed");

        const got = await storage.read("alias-stream.txt");
        got.fill(0x21);
        expect(decoder.decode(await storage.read("alias-stream.txt"))).toBe("streamed");
      });

      it("replaces content on an unconditional write", async () => {
        await storage.write("replace.txt", "first version, longer");
        const second = await storage.write("replace.txt", "second");
        expect(decoder.decode(await storage.read("replace.txt"))).toBe("second");
        expectSameStat(await storage.stat("replace.txt"), second);
        expect(await listAll()).toEqual(["replace.txt"]);
      });

      it("supports nested keys", async () => {
        await storage.write("a/b/c.txt", "deep");
        await storage.write("a/b/d.txt", "sibling");
        await storage.write("a/top.txt", "top");
        expect(decoder.decode(await storage.read("a/b/c.txt"))).toBe("deep");
        expect(decoder.decode(await storage.read("a/b/d.txt"))).toBe("sibling");
        expect(decoder.decode(await storage.read("a/top.txt"))).toBe("top");
        expect(await listAll()).toEqual(["a/b/c.txt", "a/b/d.txt", "a/top.txt"]);
      });

      it("supports keys with spaces, dots and non-ASCII characters", async () => {
        const key = "dir with space/ünïcødé-v1.2.0 (copy).json";
        await storage.write(key, "{}");
        expect(decoder.decode(await storage.read(key))).toBe("{}");
        expect(await listAll()).toEqual([key]);
        expect((await storage.stat(key))?.size).toBe(2);
      });

      it("readStream returns the content as Uint8Array chunks", async () => {
        await storage.write("s.txt", "streamed content");
        const stream = await storage.readStream("s.txt");
        const chunks = await chunksOf(stream);
        for (const c of chunks) expect(ArrayBuffer.isView(c)).toBe(true);
        expect(decoder.decode(concat(chunks))).toBe("streamed content");
      });

      it("a readStream can be cancelled early, and the key stays usable", async () => {
        const data = patternBytes(3 * MiB, 7);
        await storage.write("cancel.bin", data);
        const stream = await storage.readStream("cancel.bin");
        const reader = stream.getReader();
        const first = await reader.read();
        expect(first.done).toBe(false);
        await reader.cancel();
        await storage.write("cancel.bin", "replaced");
        expect(decoder.decode(await storage.read("cancel.bin"))).toBe("replaced");
        await storage.delete("cancel.bin");
        expect(await storage.stat("cancel.bin")).toBeNull();
      });

      it("a stream opened before an overwrite yields the old or the new content, never a mix", async () => {
        const size = 2 * MiB + 123;
        await storage.write("snap.bin", new Uint8Array(size).fill(0xaa));
        const stream = await storage.readStream("snap.bin");
        await storage.write("snap.bin", new Uint8Array(size).fill(0xbb));
        const got = await readAll(stream);
        expect(got.byteLength).toBe(size);
        const first = got[0];
        expect(first === 0xaa || first === 0xbb).toBe(true);
        expect(got.every((b) => b === first)).toBe(true);
      });
    });

    describe("stat", () => {
      it("returns size, etag and mtime", async () => {
        const before = Date.now();
        const written = await storage.write("stat.txt", "12345");
        const st = await storage.stat("stat.txt");
        expect(st).not.toBeNull();
        expect(st!.size).toBe(5);
        expect(typeof st!.etag).toBe("string");
        expect(st!.etag.length).toBeGreaterThan(0);
        expect(st!.mtime).toBeInstanceOf(Date);
        expect(Number.isNaN(st!.mtime.getTime())).toBe(false);
        // Generous bounds: remote stores have their own clocks.
        expect(Math.abs(st!.mtime.getTime() - before)).toBeLessThan(24 * 3600 * 1000);
        expectSameStat(st, written);
      });

      it.skipIf(options.etagsAreContentHashes)("the etag changes on every rewrite, even with the same content", async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 6; i++) {
          const written = await storage.write("same.txt", "same content");
          expect(seen.has(written.etag)).toBe(false);
          seen.add(written.etag);
          expect((await storage.stat("same.txt"))?.etag).toBe(written.etag);
        }
      });

      it("the etag changes whenever the content changes", async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 6; i++) {
          const written = await storage.write("changing.txt", `content ${i}`);
          expect(seen.has(written.etag)).toBe(false);
          seen.add(written.etag);
          expect((await storage.stat("changing.txt"))?.etag).toBe(written.etag);
        }
      });

      it("the etag is stable while the content is not rewritten", async () => {
        const written = await storage.write("stable.txt", "x");
        await storage.read("stable.txt");
        await storage.write("other.txt", "y");
        expect((await storage.stat("stable.txt"))?.etag).toBe(written.etag);
      });
    });

    describe("preconditions", () => {
      it('ifNoneMatch: "*" creates a missing key', async () => {
        const written = await storage.write("create.txt", "new", { ifNoneMatch: "*" });
        expect(decoder.decode(await storage.read("create.txt"))).toBe("new");
        expectSameStat(await storage.stat("create.txt"), written);
      });

      it('ifNoneMatch: "*" refuses to overwrite and leaves the old content', async () => {
        const first = await storage.write("create.txt", "old");
        expect(await codeOf(() => storage.write("create.txt", "new", { ifNoneMatch: "*" }))).toBe("PRECONDITION_FAILED");
        expect(
          await codeOf(() => storage.write("create.txt", streamOf([encoder.encode("new")]), { ifNoneMatch: "*" })),
        ).toBe("PRECONDITION_FAILED");
        expect(decoder.decode(await storage.read("create.txt"))).toBe("old");
        expectSameStat(await storage.stat("create.txt"), first);
        expect(await listAll()).toEqual(["create.txt"]);
      });

      it("ifMatch with the current etag replaces the content", async () => {
        const first = await storage.write("cas.txt", "v1");
        const second = await storage.write("cas.txt", "v2", { ifMatch: first.etag });
        expect(second.etag).not.toBe(first.etag);
        expect(decoder.decode(await storage.read("cas.txt"))).toBe("v2");
        expectSameStat(await storage.stat("cas.txt"), second);
        const third = await storage.write("cas.txt", streamOf([encoder.encode("v3")]), { ifMatch: second.etag });
        expect(decoder.decode(await storage.read("cas.txt"))).toBe("v3");
        expectSameStat(await storage.stat("cas.txt"), third);
      });

      it("ifMatch with a stale etag fails and leaves the content intact", async () => {
        const first = await storage.write("cas.txt", "v1");
        const second = await storage.write("cas.txt", "v2");
        expect(await codeOf(() => storage.write("cas.txt", "v3", { ifMatch: first.etag }))).toBe("PRECONDITION_FAILED");
        expect(await codeOf(() => storage.write("cas.txt", "v3", { ifMatch: "not-an-etag" }))).toBe("PRECONDITION_FAILED");
        expect(decoder.decode(await storage.read("cas.txt"))).toBe("v2");
        expectSameStat(await storage.stat("cas.txt"), second);
        expect(await listAll()).toEqual(["cas.txt"]);
      });

      it("ifMatch on a missing key fails and creates nothing", async () => {
        const elsewhere = await storage.write("other.txt", "x");
        expect(await codeOf(() => storage.write("missing.txt", "v", { ifMatch: elsewhere.etag }))).toBe("PRECONDITION_FAILED");
        expect(await codeOf(() => storage.write("new/missing.txt", "v", { ifMatch: elsewhere.etag }))).toBe(
          "PRECONDITION_FAILED",
        );
        expect(await storage.stat("missing.txt")).toBeNull();
        expect(await listAll()).toEqual(["other.txt"]);
      });

      it("ifMatch fails after the key was deleted", async () => {
        const first = await storage.write("gone.txt", "v1");
        await storage.delete("gone.txt");
        expect(await codeOf(() => storage.write("gone.txt", "v2", { ifMatch: first.etag }))).toBe("PRECONDITION_FAILED");
        expect(await storage.stat("gone.txt")).toBeNull();
      });

      it("many concurrent ifMatch writes from the same etag: exactly one succeeds", async () => {
        const base = await storage.write("race.txt", "base");
        const n = 16;
        const results = await Promise.allSettled(
          Array.from({ length: n }, (_, i) => storage.write("race.txt", `writer ${i}`, { ifMatch: base.etag })),
        );
        const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [{ i, stat: r.value }] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(errorCode(r.reason)).toBe("PRECONDITION_FAILED");
        }
        const winner = winners[0]!;
        expect(decoder.decode(await storage.read("race.txt"))).toBe(`writer ${winner.i}`);
        expectSameStat(await storage.stat("race.txt"), winner.stat);
        expect(await listAll()).toEqual(["race.txt"]);
      });

      it('many concurrent ifNoneMatch: "*" creates: exactly one succeeds', async () => {
        const n = 16;
        const results = await Promise.allSettled(
          Array.from({ length: n }, (_, i) => storage.write("once/created.txt", `creator ${i}`, { ifNoneMatch: "*" })),
        );
        const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(errorCode(r.reason)).toBe("PRECONDITION_FAILED");
        }
        expect(decoder.decode(await storage.read("once/created.txt"))).toBe(`creator ${winners[0]}`);
        expect(await listAll()).toEqual(["once/created.txt"]);
      });

      it("concurrent unconditional writes all succeed and leave one complete value", async () => {
        const n = 8;
        const values = Array.from({ length: n }, (_, i) => String(i).repeat(1000 + i));
        const results = await Promise.all(values.map((v) => storage.write("many.txt", v)));
        expect(results).toHaveLength(n);
        const final = decoder.decode(await storage.read("many.txt"));
        expect(values).toContain(final);
        expect(await listAll()).toEqual(["many.txt"]);
      });
    });

    describe("list", () => {
      const keys = ["a/x", "a/b/y", "a/b/z/deep.txt", "ab/x", "abc", "b", "bb/a/x"];
      const seed = async (): Promise<void> => {
        for (const k of keys) await storage.write(k, k);
      };

      it('lists every key with prefix ""', async () => {
        expect(await listAll()).toEqual([]);
        await seed();
        expect(await listAll("")).toEqual([...keys].sort());
      });

      it('prefix "a/" lists that folder recursively, not "ab/x" or "abc"', async () => {
        await seed();
        expect(await listAll("a/")).toEqual(["a/b/y", "a/b/z/deep.txt", "a/x"]);
        expect(await listAll("a/b/")).toEqual(["a/b/y", "a/b/z/deep.txt"]);
      });

      it("a prefix is a string prefix, not only a folder", async () => {
        await seed();
        expect(await listAll("a")).toEqual(["a/b/y", "a/b/z/deep.txt", "a/x", "ab/x", "abc"]);
        expect(await listAll("ab")).toEqual(["ab/x", "abc"]);
        expect(await listAll("a/b")).toEqual(["a/b/y", "a/b/z/deep.txt"]);
        expect(await listAll("a/b/z/deep")).toEqual(["a/b/z/deep.txt"]);
        expect(await listAll("bb/a/x")).toEqual(["bb/a/x"]);
      });

      it("a prefix that matches nothing lists nothing", async () => {
        await seed();
        expect(await listAll("zzz")).toEqual([]);
        expect(await listAll("zzz/")).toEqual([]);
        expect(await listAll("a/x/")).toEqual([]);
        expect(await listAll("abc/")).toEqual([]);
      });

      it.skipIf(!options.manyKeys)("lists every key across pages", async () => {
        const n = options.manyKeys ?? 0;
        const want: string[] = [];
        for (let i = 0; i < n; i++) want.push(`many/${String(i).padStart(5, "0")}${i % 7 === 0 ? " ü" : ""}.txt`);
        for (let i = 0; i < want.length; i += 32) await Promise.all(want.slice(i, i + 32).map((k) => storage.write(k, "")));
        await storage.write("other/x.txt", "x");
        expect(await listAll("many/")).toEqual([...want].sort());
        expect(await listAll("")).toHaveLength(n + 1);
      }, 300_000);

      it("lists each key once after overwrites and no folders", async () => {
        await storage.write("f/one.txt", "1");
        await storage.write("f/one.txt", "2");
        await storage.write("f/one.txt", "3", { ifMatch: (await storage.stat("f/one.txt"))!.etag });
        expect(await listAll()).toEqual(["f/one.txt"]);
      });
    });

    describe("delete", () => {
      it("removes a key", async () => {
        await storage.write("del/a.txt", "a");
        await storage.write("del/b.txt", "b");
        await storage.delete("del/a.txt");
        expect(await storage.stat("del/a.txt")).toBeNull();
        expect(await codeOf(() => storage.read("del/a.txt"))).toBe("STORAGE_NOT_FOUND");
        expect(await listAll()).toEqual(["del/b.txt"]);
        expect(decoder.decode(await storage.read("del/b.txt"))).toBe("b");
      });

      it("deleting a missing key is fine", async () => {
        await storage.delete("never-written.txt");
        await storage.delete("no/such/folder/never-written.txt");
        await storage.write("twice.txt", "x");
        await storage.delete("twice.txt");
        await storage.delete("twice.txt");
        expect(await listAll()).toEqual([]);
      });

      it("deleting a folder name is a no-op that keeps the keys inside", async () => {
        await storage.write("folder/inner.txt", "x");
        await storage.delete("folder");
        expect(decoder.decode(await storage.read("folder/inner.txt"))).toBe("x");
      });

      it("a deleted key can be created again", async () => {
        await storage.write("again.txt", "1");
        await storage.delete("again.txt");
        await storage.write("again.txt", "2", { ifNoneMatch: "*" });
        expect(decoder.decode(await storage.read("again.txt"))).toBe("2");
      });
    });

    describe("copy", () => {
      it("copies the content and returns the new key's stat", async () => {
        const data = patternBytes(300_000, 3);
        const src = await storage.write("src/data.bin", data);
        const copied = await storage.copy("src/data.bin", "dst/nested/data.bin");
        expect(copied.size).toBe(data.byteLength);
        expect(firstDifference(await storage.read("dst/nested/data.bin"), data)).toBe(-1);
        expectSameStat(await storage.stat("dst/nested/data.bin"), copied);
        // the source is untouched
        expect(firstDifference(await storage.read("src/data.bin"), data)).toBe(-1);
        expectSameStat(await storage.stat("src/data.bin"), src);
        expect(await listAll()).toEqual(["dst/nested/data.bin", "src/data.bin"]);
      });

      it("copy onto an existing key replaces it with a new etag", async () => {
        await storage.write("from.txt", "new");
        const old = await storage.write("to.txt", "old");
        const copied = await storage.copy("from.txt", "to.txt");
        expect(copied.etag).not.toBe(old.etag);
        expect(decoder.decode(await storage.read("to.txt"))).toBe("new");
      });

      it('honours ifNoneMatch: "*"', async () => {
        await storage.write("from.txt", "new");
        const old = await storage.write("to.txt", "old");
        expect(await codeOf(() => storage.copy("from.txt", "to.txt", { ifNoneMatch: "*" }))).toBe("PRECONDITION_FAILED");
        expect(decoder.decode(await storage.read("to.txt"))).toBe("old");
        expectSameStat(await storage.stat("to.txt"), old);
        await storage.copy("from.txt", "fresh.txt", { ifNoneMatch: "*" });
        expect(decoder.decode(await storage.read("fresh.txt"))).toBe("new");
        expect(await listAll()).toEqual(["fresh.txt", "from.txt", "to.txt"]);
      });

      it("honours ifMatch", async () => {
        await storage.write("from.txt", "new");
        const v1 = await storage.write("to.txt", "v1");
        const v2 = await storage.write("to.txt", "v2");
        expect(await codeOf(() => storage.copy("from.txt", "to.txt", { ifMatch: v1.etag }))).toBe("PRECONDITION_FAILED");
        expect(decoder.decode(await storage.read("to.txt"))).toBe("v2");
        expect(await codeOf(() => storage.copy("from.txt", "missing.txt", { ifMatch: v2.etag }))).toBe("PRECONDITION_FAILED");
        expect(await storage.stat("missing.txt")).toBeNull();
        const copied = await storage.copy("from.txt", "to.txt", { ifMatch: v2.etag });
        expect(decoder.decode(await storage.read("to.txt"))).toBe("new");
        expectSameStat(await storage.stat("to.txt"), copied);
        expect(await listAll()).toEqual(["from.txt", "to.txt"]);
      });

      it("a missing source throws STORAGE_NOT_FOUND and creates nothing", async () => {
        expect(await codeOf(() => storage.copy("missing.txt", "to.txt"))).toBe("STORAGE_NOT_FOUND");
        expect(await codeOf(() => storage.copy("no/such/missing.txt", "dir/to.txt", { ifNoneMatch: "*" }))).toBe(
          "STORAGE_NOT_FOUND",
        );
        expect(await storage.stat("to.txt")).toBeNull();
        expect(await listAll()).toEqual([]);
      });
    });

    describe("invalid keys", () => {
      for (const bad of INVALID_STORAGE_KEYS) {
        it(`rejects ${JSON.stringify(bad)} with INVALID_NAME and writes nothing`, async () => {
          await storage.write("good.txt", "good");
          const attempts: Array<[string, () => Promise<unknown>]> = [
            ["write bytes", () => storage.write(bad, encoder.encode("x"))],
            ["write string", () => storage.write(bad, "x", { ifNoneMatch: "*" })],
            ["write stream", () => storage.write(bad, streamOf([encoder.encode("x")]))],
            ["read", () => storage.read(bad)],
            ["readStream", () => storage.readStream(bad)],
            ["stat", () => storage.stat(bad)],
            ["delete", () => storage.delete(bad)],
            ["copy from", () => storage.copy(bad, "copied.txt")],
            ["copy to", () => storage.copy("good.txt", bad)],
          ];
          for (const [what, attempt] of attempts) {
            expect(`${what}: ${await codeOf(attempt)}`).toBe(`${what}: INVALID_NAME`);
          }
          expect(await listAll()).toEqual(["good.txt"]);
          expect(decoder.decode(await storage.read("good.txt"))).toBe("good");
        });
      }
    });

    describe("failed writes", () => {
      it("a ReadableStream that errors midway leaves the previous content and no partial file", async () => {
        const old = await storage.write("keep.bin", "previous content");
        const failing = failingStream([patternBytes(64 * 1024, 1), patternBytes(64 * 1024, 2), patternBytes(1000, 3)]);
        await expect(storage.write("keep.bin", failing)).rejects.toBeTruthy();
        expect(decoder.decode(await storage.read("keep.bin"))).toBe("previous content");
        expectSameStat(await storage.stat("keep.bin"), old);
        expect(await listAll()).toEqual(["keep.bin"]);
      });

      it("a failed streamed write to a new key creates nothing", async () => {
        const failing = failingStream([patternBytes(100_000, 4)]);
        await expect(storage.write("dir/new.bin", failing, { ifNoneMatch: "*" })).rejects.toBeTruthy();
        expect(await storage.stat("dir/new.bin")).toBeNull();
        expect(await codeOf(() => storage.read("dir/new.bin"))).toBe("STORAGE_NOT_FOUND");
        expect(await listAll()).toEqual([]);
      });

      it("an AsyncIterable that throws midway leaves the previous content and no partial file", async () => {
        const old = await storage.write("keep.txt", "previous");
        async function* failing(): AsyncGenerator<Uint8Array> {
          yield patternBytes(50_000, 5);
          throw new Error("boom: source failed");
        }
        await expect(storage.write("keep.txt", failing(), { ifMatch: old.etag })).rejects.toBeTruthy();
        expect(decoder.decode(await storage.read("keep.txt"))).toBe("previous");
        expectSameStat(await storage.stat("keep.txt"), old);
        expect(await listAll()).toEqual(["keep.txt"]);
      });

      it("a failed precondition on a streamed write leaves no partial file", async () => {
        await storage.write("pre.bin", "old");
        const big = streamOf([patternBytes(200_000, 6), patternBytes(200_000, 7)]);
        expect(await codeOf(() => storage.write("pre.bin", big, { ifNoneMatch: "*" }))).toBe("PRECONDITION_FAILED");
        expect(decoder.decode(await storage.read("pre.bin"))).toBe("old");
        expect(await listAll()).toEqual(["pre.bin"]);
      });
    });

    describe("large streams", () => {
      it("a 5 MiB streamed write and read round-trip byte-exact", async () => {
        const size = 5 * MiB + 17;
        const data = patternBytes(size, 42);
        // Odd chunk sizes, so no chunk boundary lines up with a backend's buffers.
        const sizes = [1, 100, 65_543, 1_000_003, 7, 2 * MiB + 5];
        const chunks: Uint8Array[] = [];
        let offset = 0;
        for (let i = 0; offset < size; i++) {
          const n = Math.min(sizes[i % sizes.length]!, size - offset);
          chunks.push(data.slice(offset, offset + n));
          offset += n;
        }
        const written = await storage.write("big/5mib.bin", streamOf(chunks));
        expect(written.size).toBe(size);
        expect((await storage.stat("big/5mib.bin"))?.size).toBe(size);

        const streamed = await readAll(await storage.readStream("big/5mib.bin"));
        expect(streamed.byteLength).toBe(size);
        expect(firstDifference(streamed, data)).toBe(-1);

        const whole = await storage.read("big/5mib.bin");
        expect(whole.byteLength).toBe(size);
        expect(firstDifference(whole, data)).toBe(-1);
      });
    });
  });
}

// ---------------------------------------------------------------------------
// helpers

/** The `code` of the error `fn` throws (sync or async), or `"<no error>"`. */
async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return errorCode(err);
  }
  return "<no error>";
}

function errorCode(err: unknown): string {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : `<no code: ${String(err)}>`;
}

function expectSameStat(actual: StorageStat | null, expected: StorageStat): void {
  expect(actual).not.toBeNull();
  expect({ size: actual!.size, etag: actual!.etag }).toEqual({ size: expected.size, etag: expected.etag });
}

function streamOf(chunks: Uint8Array[]): ByteStream {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/** Yields `chunks`, then errors (like a network stream that drops). */
function failingStream(chunks: Uint8Array[]): ByteStream {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.error(new Error("boom: source stream failed midway"));
      else controller.enqueue(chunk);
    },
  });
}

async function chunksOf(stream: ByteStream): Promise<Uint8Array[]> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

async function readAll(stream: ByteStream): Promise<Uint8Array> {
  return concat(await chunksOf(stream));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32). */
function patternBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Index of the first differing byte, the shorter length if one is a prefix, or -1 if equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.byteLength === b.byteLength ? -1 : n;
}
