import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { MemoryStorage, type StorageBackend, type WritableData, type WriteOptions } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { appendRelease, dumps, load, Release } from "./index.js";
import { tempDir } from "./test/fixtures.js";
import { delegatingStorage } from "./test/delegatingStorage.js";

const mk = (tag: string, day: number) => new Release({ tag, artifacts: [["a", day]], createdAt: new Date(Date.UTC(2025, 0, day)) });
const fast = { attempts: 40, baseDelayMs: 0, maxDelayMs: 0 };

/** A backend where another writer appends a release right before our first `n` writes. */
function racing(inner: MemoryStorage, key: string, n: number): StorageBackend {
  let raced = 0;
  return delegatingStorage(inner, {
    async write(k: string, data: WritableData, options?: WriteOptions) {
      if (k === key && raced < n) {
        raced++;
        const current = (await inner.stat(k)) ? JSON.parse(new TextDecoder().decode(await inner.read(k))) : [];
        current.push(mk(`other-${raced}`, raced).toJSON());
        await inner.write(k, JSON.stringify(current));
      }
      return inner.write(k, data, options);
    },
  });
}

describe("appendRelease", () => {
  it("creates the file, appends, and skips an existing tag", async () => {
    const file = path.join(await tempDir(), "releases.json");
    expect((await appendRelease(file, mk("v1", 1))).created).toBe(true);
    expect(await readFile(file, "utf8")).toBe(dumps([mk("v1", 1)]));
    const second = await appendRelease(file, mk("v2", 2));
    expect(second.created).toBe(true);
    expect(second.releases.map((r) => r.tag)).toEqual(["v1", "v2"]);
    const again = await appendRelease(file, mk("v1", 9));
    expect(again.created).toBe(false);
    expect(again.release.createdAt).toEqual(mk("v1", 1).createdAt);
    expect((await load(file)).map((r) => r.tag)).toEqual(["v1", "v2"]);
  });

  it("loses no concurrent append (compare-and-swap, re-read, retry)", async () => {
    const inner = new MemoryStorage();
    const storage = racing(inner, "releases.json", 3);
    const result = await appendRelease("releases.json", mk("mine", 10), { storage, retry: fast });
    expect(result.created).toBe(true);
    const tags = (await load("releases.json", { storage: inner })).map((r) => r.tag);
    expect(tags).toEqual(["other-1", "other-2", "other-3", "mine"]);
  });

  it("many appenders at once: every release is kept exactly once", async () => {
    const storage = new MemoryStorage();
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendRelease("releases.json", mk(`v${i}`, i + 1), { storage, retry: fast })));
    const tags = (await load("releases.json", { storage })).map((r) => r.tag).sort();
    expect(tags).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
  });

  it("gives up with ConflictError after bounded attempts, writing nothing of its own", async () => {
    const inner = new MemoryStorage();
    const storage = racing(inner, "releases.json", 1000);
    await expect(appendRelease("releases.json", mk("mine", 10), { storage, retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 } })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await load("releases.json", { storage: inner })).map((r) => r.tag)).not.toContain("mine");
  });

  it("never overwrites an invalid releases.json", async () => {
    const file = path.join(await tempDir(), "releases.json");
    await writeFile(file, "[{oops");
    await expect(appendRelease(file, mk("v1", 1))).rejects.toMatchObject({ code: "MANIFEST_INVALID" });
    expect(await readFile(file, "utf8")).toBe("[{oops");
  });
});
