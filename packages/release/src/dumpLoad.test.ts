import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { MemoryStorage } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { dump, dumps, load, Release } from "./index.js";
import { tempDir } from "./test/fixtures.js";

const r1 = new Release({ tag: "v1", artifacts: [["a", 0]], createdAt: "2025-01-01T00:00:00" });
const r2 = new Release({ tag: "v2", artifacts: [["a", 1]], createdAt: "2025-02-01T00:00:00" });

describe("dump / load", () => {
  it("local files: writes Python's format and reads it back", async () => {
    const file = path.join(await tempDir(), "releases.json");
    await dump([r1, r2], file);
    expect(await readFile(file, "utf8")).toBe(dumps([r1, r2]));
    expect((await load(file)).map((r) => r.tag)).toEqual(["v1", "v2"]);
    await dump([r1], file, { indent: null });
    expect(await readFile(file, "utf8")).toBe(dumps([r1], { indent: null }));
  });

  it("memory:// locations and an explicit storage", async () => {
    await dump([r1], "memory://release-test/releases.json");
    expect((await load("memory://release-test/releases.json"))[0]!.tag).toBe("v1");
    const storage = new MemoryStorage();
    await dump([r2], "models/releases.json", { storage });
    expect(new TextDecoder().decode(await storage.read("models/releases.json"))).toBe(dumps([r2]));
    expect((await load("./models/releases.json", { storage }))[0]!.tag).toBe("v2");
  });

  it("load of a missing file → StorageNotFoundError naming it", async () => {
    const file = path.join(await tempDir(), "releases.json");
    await expect(load(file)).rejects.toMatchObject({ code: "STORAGE_NOT_FOUND", message: expect.stringContaining(file) });
    await expect(load("nope/releases.json", { storage: new MemoryStorage() })).rejects.toMatchObject({ code: "STORAGE_NOT_FOUND" });
  });

  it("load of an invalid file → ManifestError naming the location", async () => {
    const file = path.join(await tempDir(), "releases.json");
    await writeFile(file, '[{"tag": "v1"}]');
    await expect(load(file)).rejects.toMatchObject({ code: "MANIFEST_INVALID", file, message: expect.stringMatching(/\[0\]\.artifacts/) });
  });

  it("rejects bad options", async () => {
    await expect(dump([r1], "x.json", { storage: {} as never })).rejects.toThrow(/storage must implement/);
    await expect(load("x.json", { storage: 1 as never })).rejects.toThrow(/storage must implement/);
  });
});
