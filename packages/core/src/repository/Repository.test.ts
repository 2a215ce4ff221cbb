import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../storage/MemoryStorage.js";
import { fakeClock, openMem, testRegistry } from "../testSupport.js";
import { Repository } from "./Repository.js";

const code = (c: string) => expect.objectContaining({ code: c });
const manifest = async (s: MemoryStorage) => JSON.parse(new TextDecoder().decode(await s.read("repository.json")));

describe("Repository (memory storage)", () => {
  it("walks the guide: log, save, reload, versions, time travel", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T12:00:00");
    const w = await openMem(storage, "w", clock.now);
    const rec = w.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
    expect(rec.version).toBe(0);
    await expect(storage.stat("features/features-20250101120000.json")).resolves.toBeNull();
    await w.save();
    expect(new TextDecoder().decode(await storage.read("features/features-20250101120000.json"))).toBe("[\n    0,\n    1,\n    2\n]");

    clock.set("2025-01-05T08:30:00");
    const a = await openMem(storage, "a", clock.now);
    a.logArtifact("features", [0, 1, 2, 3], { handler: "json", indent: 4 });
    await a.save();

    const r = await openMem(storage, "r", clock.now);
    expect(await r.loadArtifact("features")).toEqual([0, 1, 2, 3]);
    expect(await r.loadArtifact("features", { version: 0 })).toEqual([0, 1, 2]);
    expect(await r.loadArtifact("features", { version: "2025-01-05T08:30:00" })).toEqual([0, 1, 2, 3]);
    expect(await r.loadArtifact("features", { version: "2025-01-03T00:00:00", match: "asof" })).toEqual([0, 1, 2]);
    expect(r.versions("features").map((v) => v.version)).toEqual([0, 1]);
    expect(r.names()).toEqual(["features"]);
    const m = await manifest(storage);
    expect(Object.keys(m[0])).toEqual(["created_at", "expiry", "fname", "handler", "name", "sha256", "size", "version"]);
    expect(m[0].size).toBe(23);
  });

  it("read-only and append-only modes refuse what they must", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("x", 1);
    await w.save();
    const r = await openMem(storage, "r", clock.now);
    expect(() => r.logArtifact("x", 2)).toThrow(code("READ_ONLY"));
    expect(() => r.setArtifactExpiry("x", 0)).toThrow(code("READ_ONLY"));
    await expect(r.save()).rejects.toThrow(code("READ_ONLY"));
    const a = await openMem(storage, "a", clock.now);
    expect(() => a.setArtifactExpiry("x", 0)).toThrow(code("READ_ONLY"));
    a.logArtifact("x", 2);
    expect(a.setArtifactExpiry("x", 1, "2026-01-01T00:00:00").expiry).toEqual(new Date("2026-01-01T00:00:00Z"));
  });

  it("mode w starts fresh and replaces the manifest", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const a = await openMem(storage, "w+", clock.now);
    a.logArtifact("old", 1);
    await a.save();
    const w = await openMem(storage, "w", clock.now);
    expect(w.has("old")).toBe(false);
    w.logArtifact("new", 1);
    await w.save();
    expect((await manifest(storage)).map((e: { name: string }) => e.name)).toEqual(["new"]);
  });

  it("two versions in the same second get different files and keep their own values", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("f", "first");
    w.logArtifact("f", "second");
    await w.save();
    const again = await openMem(storage, "a", clock.now);
    again.logArtifact("f", "third");
    await again.save();
    const r = await openMem(storage, "r", clock.now);
    expect(new Set(r.versions("f").map((v) => v.fname)).size).toBe(3);
    expect(await r.loadArtifact("f", { version: 0 })).toBe("first");
    expect(await r.loadArtifact("f", { version: 1 })).toBe("second");
    expect(await r.loadArtifact("f", { version: 2 })).toBe("third");
  });

  it("renames a generated file name that another writer took in the same second, keeping the timestamp", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const a = await openMem(storage, "w+", clock.now);
    const b = await openMem(storage, "w+", clock.now);
    a.logArtifact("f", "a");
    const rb = b.logArtifact("f", "b");
    await a.save();
    await b.save();
    expect(rb.fname).toBe("f-20250101000000-1.txt");
    expect(rb.version).toBe(1);
    expect(await b.loadArtifact("f", { version: 1 })).toBe("b");
  });

  it("discards an unsaved version", async () => {
    const storage = new MemoryStorage();
    const w = await openMem(storage, "w", fakeClock("2025-01-01T00:00:00").now);
    const keep = w.logArtifact("f", "keep");
    const drop = w.logArtifact("f", "drop");
    expect(w.discard(drop)).toBe(true);
    expect(w.discard(drop)).toBe(false);
    await w.save();
    expect(w.discard(keep)).toBe(false);
    expect(w.versions("f").map((v) => v.version)).toEqual([0]);
    expect(await storage.list("f/")).toEqual(["f/f-20250101000000.txt"]);
  });

  it("an append-only save keeps the existing manifest bytes; an expiry edit rewrites it in Python's layout", async () => {
    const storage = new MemoryStorage();
    const foreign = JSON.stringify(
      [{ created_at: "2025-01-01T00:00:00", expiry: null, fname: "f.json", handler: "json", name: "f", version: 0 }],
      null,
      2,
    );
    await storage.write("repository.json", foreign);
    const clock = fakeClock("2025-02-01T00:00:00");
    const a = await openMem(storage, "a", clock.now);
    a.logArtifact("g", 1);
    await a.save();
    const text = new TextDecoder().decode(await storage.read("repository.json"));
    expect(text.startsWith(foreign.slice(0, -2))).toBe(true);
    expect((await manifest(storage)).map((e: { name: string }) => e.name)).toEqual(["f", "g"]);
    const w = await openMem(storage, "w+", clock.now);
    w.setArtifactExpiry("f", 0, "2025-03-01T00:00:00");
    await w.save();
    expect(new TextDecoder().decode(await storage.read("repository.json"))).toMatch(/^\[\n {4}\{\n {8}"created_at"/);
  });

  it("save merges with what another writer committed and renumbers new versions", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const a = await openMem(storage, "w+", clock.now);
    const b = await openMem(storage, "w+", clock.now);
    const ra = a.logArtifact("f", "from a");
    const rb = b.logArtifact("f", "from b");
    expect(rb.version).toBe(0);
    await a.save();
    await b.save();
    expect(ra.version).toBe(0);
    expect(rb.version).toBe(1);
    const r = await openMem(storage, "r", clock.now);
    expect(await r.loadArtifact("f", { version: 0 })).toBe("from a");
    expect(await r.loadArtifact("f", { version: 1 })).toBe("from b");
  });

  it("expiry edits survive a concurrent commit", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("f", 1);
    await w.save();
    const a = await openMem(storage, "w+", clock.now);
    const b = await openMem(storage, "a", clock.now);
    a.setArtifactExpiry("f", 0, "2025-06-01T00:00:00");
    b.logArtifact("g", 2);
    await b.save();
    await a.save();
    const m = await manifest(storage);
    expect(m.map((e: { name: string; expiry: string | null }) => [e.name, e.expiry])).toEqual([["f", "2025-06-01T00:00:00"], ["g", null]]);
  });

  it("expiry: latest skips expired versions; asof respects expiry at T; exact ignores it", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-12-15T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
    w.setArtifactExpiry("features", 0, "2025-12-25T00:00:00");
    await w.save();
    clock.set("2026-01-01T00:00:00");
    const r = await openMem(storage, "r", clock.now);
    expect(await r.loadArtifact("features", { version: "2025-12-20T00:00:00", match: "asof" })).toEqual([0, 1, 2]);
    await expect(r.loadArtifact("features")).rejects.toThrow(code("VERSION_NOT_FOUND"));
    expect(await r.loadArtifact("features", { version: 0 })).toEqual([0, 1, 2]);
    // expiry defaults to now, version to latest
    const e = await openMem(storage, "w+", clock.now);
    e.logArtifact("g", 1);
    expect(e.setArtifactExpiry("g").expirySeconds).toBe(Date.UTC(2026, 0, 1) / 1000);
  });

  it("filter by time and by pairs gives a read-only view", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("a", 1);
    clock.set("2025-02-01T00:00:00");
    w.logArtifact("a", 2);
    w.logArtifact("b", 3);
    await w.save();
    const r = await openMem(storage, "r", clock.now);
    const jan = r.filter("2025-01-15T00:00:00");
    expect(jan.artifacts.map((x) => [x.name, x.version])).toEqual([["a", 0]]);
    expect(jan.mode).toBe("r");
    expect(() => jan.logArtifact("a", 1)).toThrow(code("READ_ONLY"));
    const pinned = r.filter([["b", 0], ["a", 1]]);
    expect(pinned.artifacts.map((x) => [x.name, x.version])).toEqual([["a", 1], ["b", 0]]);
    expect(await pinned.loadArtifact("a")).toBe(2);
    expect(() => r.filter([["a", 9]])).toThrow(code("VERSION_NOT_FOUND"));
    expect(() => r.filter([["zzz", 0]])).toThrow(code("ARTIFACT_NOT_FOUND"));
    const rw = await openMem(storage, "w+", clock.now);
    expect(() => rw.filter("2025-01-15T00:00:00")).toThrow(code("READ_ONLY"));
  });

  it("diffs text versions, refuses binary and unsaved ones", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("t", "a\nb\n");
    w.logArtifact("t", "a\nc\n");
    w.logArtifact("bin", new Uint8Array([1, 2]));
    await w.save();
    const d = await w.getVersionDiff("t", [0, 1]);
    expect(d).toContain("-b");
    expect(d).toContain("+c");
    expect(await w.getVersionDiff("t", 0)).toBe(d);
    await expect(w.getVersionDiff("bin", 0)).rejects.toThrow(code("ARTIFACT_LOAD"));
    w.logArtifact("t", "new");
    await expect(w.getVersionDiff("t", [0, 2])).rejects.toThrow(code("ARTIFACT_LOAD"));
    await expect(w.loadArtifact("t", { version: 2 })).rejects.toThrow(code("ARTIFACT_LOAD"));
  });

  it("verifies integrity on load and in verify(); gc finds orphans", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("a", "hello");
    w.logArtifact("b", "world");
    w.logArtifact("c", "gone");
    await w.save();
    const [a, b, c] = ["a", "b", "c"].map((n) => w.artifactKey(w.getArtifactMetadata(n)));
    await storage.write(a!, "HELLO");
    await storage.write(b!, "wor");
    await storage.delete(c!);
    await expect(w.loadArtifact("a")).rejects.toThrow(code("INTEGRITY"));
    expect(await w.loadArtifact("a", { verify: false })).toBe("HELLO");
    await expect(w.loadArtifact("b")).rejects.toThrow(code("INTEGRITY"));
    await expect(w.loadArtifact("c")).rejects.toThrow(code("ARTIFACT_LOAD"));
    const problems = await w.verify();
    expect(problems.map((p) => [p.name, p.problem])).toEqual([["a", "sha256"], ["b", "size"], ["c", "missing"]]);

    await storage.write("a/orphan.txt", "x");
    await storage.write("a/.a-1.json.1-2.lztmp", "x");
    await storage.write("unrelated/file.txt", "keep");
    const dry = await w.gc({ dryRun: true, graceSeconds: 0 });
    expect(dry.orphans).toEqual(["a/.a-1.json.1-2.lztmp", "a/orphan.txt"]);
    expect(await storage.stat("a/orphan.txt")).not.toBeNull();
    const recent = await w.gc({ dryRun: true });
    expect(recent.orphans).toEqual([]);
    expect(recent.skippedRecent.length).toBe(2);
    await w.gc({ graceSeconds: 0 });
    expect(await storage.stat("a/orphan.txt")).toBeNull();
    expect(await storage.stat("unrelated/file.txt")).not.toBeNull();
    expect(await storage.stat(a!)).not.toBeNull();
  });

  it("rejects unsafe names and fnames before writing anything", async () => {
    const storage = new MemoryStorage();
    const w = await openMem(storage, "w", () => new Date());
    for (const bad of ["", "../x", "/abs", "a/../b", "a\u0000b", "a\nb", "C:x", "a\\b", "."]) {
      expect(() => w.logArtifact(bad, 1), JSON.stringify(bad)).toThrow(code("INVALID_NAME"));
      expect(() => w.logArtifact("ok", 1, { fname: bad || "a//b" }), JSON.stringify(bad)).toThrow(code("INVALID_NAME"));
    }
    for (const bad of ["sub/", "sub//file.json", "./file.json", "sub/./file.json", "sub/..", "sub\\file.json", "sub/\u0001.json"]) {
      expect(() => w.logArtifact("ok", 1, { fname: bad }), JSON.stringify(bad)).toThrow(code("INVALID_NAME"));
    }
    expect(await storage.list("")).toEqual([]);
  });

  it("unknown handlers: listed and resolved, loading throws UnknownHandlerError", async () => {
    const storage = new MemoryStorage();
    await storage.write(
      "repository.json",
      JSON.stringify([{ created_at: "2025-02-04T00:00:00", expiry: null, fname: "e.pkl", handler: "pickle", name: "e", python_version: "3.11", version: 0 }]),
    );
    const r = await openMem(storage, "r", () => new Date("2025-03-01T00:00:00Z"));
    expect(r.getArtifactMetadata("e").extra).toEqual({ python_version: "3.11" });
    await expect(r.loadArtifact("e")).rejects.toThrow(code("UNKNOWN_HANDLER"));
    await expect(r.loadArtifact("e")).rejects.toThrow(/pickle/);
    expect(r.filter([["e", 0]]).names()).toEqual(["e"]);
  });

  it("malformed manifests give ManifestError with a path, and are never overwritten", async () => {
    const cases: Array<[string, RegExp]> = [
      ["{not json", /not valid JSON/],
      ['{"a": 1}', /expected array/i],
      ['[{"name": "a", "version": "x"}]', /\[0\]\.version|\[0\]/],
      ['[{"created_at": "2025-01-01T00:00:00", "expiry": null, "fname": "../x", "handler": "json", "name": "a", "version": 0}]', /\[0\]\.fname/],
      ['[{"created_at": "bad", "expiry": null, "fname": "x", "handler": "json", "name": "a", "version": 0}]', /created_at/],
    ];
    for (const [text, re] of cases) {
      const storage = new MemoryStorage();
      await storage.write("repository.json", text);
      const err = await openMem(storage, "w+", () => new Date()).catch((e: unknown) => e);
      expect(err, text).toMatchObject({ code: "MANIFEST_INVALID" });
      expect(String((err as Error).message), text).toMatch(re);
      expect(String((err as Error).message)).toContain("repository.json");
    }
    // A writer opened before the file was broken must not overwrite it either.
    const storage = new MemoryStorage();
    const w = await openMem(storage, "w+", () => new Date());
    await storage.write("repository.json", "[broken");
    w.logArtifact("a", 1);
    await expect(w.save()).rejects.toThrow(code("MANIFEST_INVALID"));
    expect(new TextDecoder().decode(await storage.read("repository.json"))).toBe("[broken");
    expect(await storage.list("a/")).toEqual([]);
  });

  it("validates options", async () => {
    await expect(Repository.open("repository.json", { mode: "x" as never, storage: new MemoryStorage() })).rejects.toThrow(/mode/);
    await expect(Repository.open("repository.json", { storage: {} as never })).rejects.toThrow(/StorageBackend/);
  });

  it("memory:// locations share one store per process", async () => {
    const handlers = testRegistry();
    const a = await Repository.open("memory://shared-test/repository.json", { mode: "w", handlers });
    a.logArtifact("x", 1);
    await a.save();
    const b = await Repository.open("memory://shared-test/repository.json", { mode: "r", handlers });
    expect(await b.loadArtifact("x")).toBe(1);
  });
});
