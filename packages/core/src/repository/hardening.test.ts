// Python-compatibility and bad-input cases of issue 11 ("Hardening").
import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../storage/MemoryStorage.js";
import { fakeClock, openMem } from "../testSupport.js";

const code = (c: string) => expect.objectContaining({ code: c });
const text = async (s: MemoryStorage, key = "repository.json") => new TextDecoder().decode(await s.read(key));
const entry = (over: Record<string, unknown> = {}) => ({
  created_at: "2025-01-01T00:00:00", expiry: null, fname: "a-20250101000000.json", handler: "json", name: "a", version: 0, ...over,
});

describe("times outside years 0100..9999", () => {
  it("reads years 0000-0099 as those years and writes them back unchanged", async () => {
    const storage = new MemoryStorage();
    const body = JSON.stringify([entry({ created_at: "0050-06-01T00:00:00", expiry: "0051-01-01T00:00:00", fname: "a.json" })], null, 4);
    await storage.write("repository.json", body);
    await storage.write("a/a.json", "[1]");
    const r = await openMem(storage, "r", fakeClock("2025-01-01T00:00:00").now);
    const meta = r.getArtifactMetadata("a", { version: 0 });
    expect(meta.createdAt.getUTCFullYear()).toBe(50);
    expect(meta.createdAt.toISOString()).toBe("0050-06-01T00:00:00.000Z");
    expect(meta.expiry!.toISOString()).toBe("0051-01-01T00:00:00.000Z");
    expect(r.getArtifactMetadata("a", { version: "0050-12-01T00:00:00", match: "asof" }).version).toBe(0);
    const w = await openMem(storage, "w+", fakeClock("2025-01-01T00:00:00").now);
    w.setArtifactExpiry("a", 0, "0052-01-01T00:00:00");
    await w.save();
    expect(JSON.parse(await text(storage))[0]).toMatchObject({ created_at: "0050-06-01T00:00:00", expiry: "0052-01-01T00:00:00" });
  });

  it("refuses an expiry or creation time Python's datetime cannot hold, writing nothing", async () => {
    const storage = new MemoryStorage();
    const w = await openMem(storage, "w", fakeClock("2025-01-01T00:00:00").now);
    w.logArtifact("a", [1], { handler: "json" });
    for (const bad of ["0000-01-01T00:00:00", new Date("+010000-01-01T00:00:00Z"), new Date(-62135596801000)]) {
      expect(() => w.setArtifactExpiry("a", 0, bad)).toThrow(code("INVALID_VERSION"));
      expect(() => w.logArtifact("b", [1], { handler: "json", createdAt: bad })).toThrow(code("INVALID_VERSION"));
    }
    expect(w.getArtifactMetadata("a", { version: 0 }).expiry).toBeNull();
    expect(w.has("b")).toBe(false);
    await w.save();
    const r = await openMem(storage, "r", fakeClock("2025-01-01T00:00:00").now);
    expect(r.versions("a")).toHaveLength(1);
  });
});

describe("manifests without an expiry key (written before lazyscribe had expiry)", () => {
  // As Python writes them: json.dump(..., sort_keys=True, indent=4), no expiry key.
  const legacy = [
    '[',
    '    {',
    '        "created_at": "2025-01-01T00:00:00",',
    '        "fname": "a-20250101000000.json",',
    '        "handler": "json",',
    '        "name": "a",',
    '        "python_version": "3.11",',
    '        "version": 0',
    '    }',
    ']',
  ].join("\n");
  const withNull = legacy.replace('"created_at": "2025-01-01T00:00:00",', '"created_at": "2025-01-01T00:00:00",\n        "expiry": null,');

  async function legacyStorage(): Promise<MemoryStorage> {
    const storage = new MemoryStorage();
    await storage.write("repository.json", legacy);
    await storage.write("a/a-20250101000000.json", "[1]");
    return storage;
  }

  it("open in every mode; a missing expiry is null", async () => {
    const storage = await legacyStorage();
    for (const mode of ["r", "a", "w+"] as const) {
      const r = await openMem(storage, mode, fakeClock("2025-06-01T00:00:00").now);
      expect(r.getArtifactMetadata("a")).toMatchObject({ version: 0, expiry: null, extra: { python_version: "3.11" } });
      expect(await r.loadArtifact("a")).toEqual([1]);
      expect(r.toJSON()[0]).toMatchObject({ expiry: null });
    }
    expect(await text(storage)).toBe(legacy);
  });

  it("a save rewrites such entries as Python's save does: every other byte kept, plus \"expiry\": null", async () => {
    for (const mode of ["a", "w+"] as const) {
      const storage = await legacyStorage();
      const w = await openMem(storage, mode, fakeClock("2025-06-01T00:00:00").now);
      w.logArtifact("b", [2], { handler: "json" });
      await w.save();
      const saved = await text(storage);
      expect(saved.startsWith(withNull.slice(0, -2) + ",\n")).toBe(true);
      expect(JSON.parse(saved)).toHaveLength(2);
      // The next save appends again (nothing left to rewrite).
      w.logArtifact("b", [3], { handler: "json" });
      await w.save();
      expect((await text(storage)).startsWith(saved.slice(0, -2))).toBe(true);
    }
    const storage = await legacyStorage();
    const w = await openMem(storage, "w+", fakeClock("2025-06-01T00:00:00").now);
    w.setArtifactExpiry("a", 0, "2025-07-01T00:00:00");
    await w.save();
    expect(await text(storage)).toBe(legacy.replace('"created_at": "2025-01-01T00:00:00",', '"created_at": "2025-01-01T00:00:00",\n        "expiry": "2025-07-01T00:00:00",'));
  });
});

describe("unknown keys are kept on rewrite", () => {
  it("including one named __proto__", async () => {
    const storage = new MemoryStorage();
    const body = '[\n    {\n        "__proto__": {\n            "polluted": true\n        },\n        "created_at": "2025-01-01T00:00:00",\n        "expiry": null,\n        "fname": "a.json",\n        "handler": "json",\n        "name": "a",\n        "version": 0,\n        "zzz": [\n            1\n        ]\n    }\n]';
    await storage.write("repository.json", body);
    await storage.write("a/a.json", "[1]");
    const w = await openMem(storage, "w+", fakeClock("2025-06-01T00:00:00").now);
    const meta = w.getArtifactMetadata("a");
    expect(Object.keys(meta.extra)).toEqual(["__proto__", "zzz"]);
    expect(Object.getPrototypeOf(meta.extra)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    w.setArtifactExpiry("a", 0, null); // forces a rewrite of every entry
    w.logArtifact("b", [2], { handler: "json" });
    await w.save();
    const saved = await text(storage);
    expect(saved.startsWith(body.slice(0, -2))).toBe(true);
    const again = await openMem(storage, "r", fakeClock("2025-06-01T00:00:00").now);
    expect(Object.keys(again.getArtifactMetadata("a").extra)).toEqual(["__proto__", "zzz"]);
    expect(Object.getOwnPropertyDescriptor(again.toJSON()[0], "__proto__")?.value).toEqual({ polluted: true });
  });

  it("also when the entry takes zod's path (a non-canonical time)", async () => {
    const storage = new MemoryStorage();
    await storage.write("repository.json", JSON.stringify([{ __proto__: null, ...entry({ created_at: "2025-01-01T00:00:00Z" }) }]).replace('{"created_at"', '{"__proto__": 5, "created_at"'));
    const r = await openMem(storage, "r", fakeClock("2025-06-01T00:00:00").now);
    expect(Object.keys(r.getArtifactMetadata("a").extra)).toEqual(["__proto__"]);
    expect(JSON.stringify(r.toJSON())).toContain('"__proto__":5');
  });
});

describe("reserved artifact names", () => {
  it("names whose folder would collide with a control file → InvalidNameError, nothing logged", async () => {
    const storage = new MemoryStorage();
    const w = await openMem(storage, "w", fakeClock("2025-01-01T00:00:00").now);
    for (const bad of ["repository.json.lock", "repository.json", "releases.json", "releases.json.lock", "project.json", "project.json.lock", "Repository.JSON.lock", "repository.json.lock/x", ".repository.json.commit.lztmp", "x.lztmp", "leftover.LZTMP/a"]) {
      expect(() => w.logArtifact(bad, [1], { handler: "json" }), bad).toThrow(code("INVALID_NAME"));
    }
    expect(w.names()).toEqual([]);
    w.logArtifact("repository", [1], { handler: "json" });
    w.logArtifact("releases.json.d", [1], { handler: "json" });
    await w.save();
    w.logArtifact("x", [2], { handler: "json" });
    await w.save();
    expect(JSON.parse(await text(storage))).toHaveLength(3);
  });

  it("the manifest's own name, whatever it is", async () => {
    const storage = new MemoryStorage();
    const { Repository } = await import("./Repository.js");
    const { testRegistry } = await import("../testSupport.js");
    const w = await Repository.open("data/models.json", { storage, mode: "w", handlers: testRegistry() });
    for (const bad of ["models.json", "models.json.lock", "repository.json.lock"]) {
      expect(() => w.logArtifact(bad, [1], { handler: "json" }), bad).toThrow(code("INVALID_NAME"));
    }
  });
});

describe("deeply nested JSON in repository.json", () => {
  const N = 100_000;
  const deep = "[".repeat(N) + "]".repeat(N);
  const withX = (x: string) =>
    '[{"created_at": "2025-01-01T00:00:00", "expiry": null, "fname": "a.json", "handler": "json", "name": "a", "version": 0, "x": ' + x + "}]";
  it.each([
    ["the whole file", deep],
    ["an unknown key", withX(deep)],
    ["an unknown key with Python's NaN token", withX("[".repeat(N) + "NaN" + "]".repeat(N))],
    ["an unterminated file", "[".repeat(N)],
    ["objects", '{"a":'.repeat(N) + "1" + "}".repeat(N)],
    ["a known key", withX("1").replace('"name": "a"', '"name": ' + deep)],
  ])("%s → ManifestError, not RangeError", async (_what, body) => {
    const storage = new MemoryStorage();
    await storage.write("repository.json", body);
    for (const mode of ["r", "w+"] as const) {
      await expect(openMem(storage, mode, fakeClock("2025-01-01T00:00:00").now)).rejects.toThrow(code("MANIFEST_INVALID"));
    }
  });

  it("nesting Python can read still opens and is written back", async () => {
    const storage = new MemoryStorage();
    const ok = "[".repeat(900) + "]".repeat(900);
    await storage.write("repository.json", withX(ok));
    await storage.write("a/a.json", "[1]");
    const w = await openMem(storage, "w+", fakeClock("2025-01-01T00:00:00").now);
    w.setArtifactExpiry("a", 0, null);
    await w.save();
    expect(JSON.parse(await text(storage))[0].x).toEqual(JSON.parse(ok));
  });
});

describe("getVersionDiff returns Python's text", () => {
  async function repoWith(...texts: string[]) {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    for (const t of texts) {
      w.logArtifact("t", t, { handler: "text" });
      clock.tick(60);
    }
    await w.save();
    return w;
  }

  it("difflib.unified_diff joined by newlines: empty headers, hunk headers, no trailing newline", async () => {
    const w = await repoWith("a\nb\nc\n", "a\nB\nc\nd\n");
    // /usr/bin/python3 -c 'import difflib; print(repr("\n".join(difflib.unified_diff("a\nb\nc\n".splitlines(), "a\nB\nc\nd\n".splitlines()))))'
    const python = "--- \n\n+++ \n\n@@ -1,3 +1,4 @@\n\n a\n-b\n+B\n c\n+d";
    expect(await w.getVersionDiff("t", [0, 1])).toBe(python);
    expect(await w.getVersionDiff("t", 0)).toBe(python); // one version: against the latest
    // Python sorts the two versions by creation time.
    expect(await w.getVersionDiff("t", [1, 0])).toBe(python);
    expect(await w.getVersionDiff("t", ["2025-01-01T00:01:00", "2025-01-01T00:00:00"])).toBe(python);
  });

  it("a version with itself (or identical files) is the empty string, with a warning", async () => {
    const w = await repoWith("x\n", "x\n");
    const warnings: string[] = [];
    const storage = w.storage as MemoryStorage;
    const r = await (await import("./Repository.js")).Repository.open("repository.json", {
      storage, mode: "r", handlers: (await import("../testSupport.js")).testRegistry(), onWarning: (x) => warnings.push(`${x.code}: ${x.message}`),
    });
    expect(await r.getVersionDiff("t", [1, 1])).toBe("");
    expect(await r.getVersionDiff("t", 1)).toBe("");
    expect(await r.getVersionDiff("t", [0, 1])).toBe("");
    // Python's LOG.warning text.
    expect(warnings).toEqual(["SAME_VERSION: Only version '1' was supplied for comparison", "SAME_VERSION: Only version '1' was supplied for comparison"]);
  });

  it("the diff package's patch stays available with { style: \"patch\" }", async () => {
    const w = await repoWith("a\nb\n", "a\nc\n");
    const patch = await w.getVersionDiff("t", [1, 0], { style: "patch" });
    expect(patch).toContain("--- t@1/");
    expect(patch).toContain("+++ t@0/");
    expect(patch).toContain("-c\n+b");
    await expect(w.getVersionDiff("t", 0, { style: "git" as never })).rejects.toThrow(code("INVALID_VERSION"));
  });
});

describe("warnings Python gives reach the user", () => {
  const reportHandler = { alias: "report", suffix: "html", binary: false, outputOnly: true, write: (v: unknown) => String(v), read: async (s: { text(): Promise<string> }) => s.text() };

  it("output-only artifacts: logged, saved, loaded (Python's messages); silent without a handler", async () => {
    const { Repository } = await import("./Repository.js");
    const { testRegistry } = await import("../testSupport.js");
    const handlers = testRegistry();
    handlers.register(reportHandler as never);
    const storage = new MemoryStorage();
    const seen: string[] = [];
    const onWarning = (w: { code: string; message: string; name: string }) => seen.push(`${w.name} ${w.code}: ${w.message}`);
    const w = await Repository.open("repository.json", { storage, mode: "w", handlers, onWarning, now: fakeClock("2025-01-20T13:23:30").now });
    w.logArtifact("features", "<p>", { handler: "report" });
    expect(seen).toEqual(["LazyscribeWarning OUTPUT_ONLY: Artifact 'features' is added. It is not meant to be read back as Python Object"]);
    await w.save();
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    const r = await Repository.open("repository.json", { storage, mode: "r", handlers, onWarning });
    expect(await r.loadArtifact("features")).toBe("<p>");
    expect(seen[2]).toBe("LazyscribeWarning OUTPUT_ONLY: Artifact 'features' is not the original Python Object");
    const silent = await Repository.open("repository.json", { storage, mode: "r", handlers });
    await silent.loadArtifact("features");
    expect(seen).toHaveLength(3);
    w.logArtifact("plain", [1], { handler: "json" });
    await w.save();
    expect(seen).toHaveLength(3);
  });

  it("filter(time) names every artifact without a version before that time", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-01T00:00:00");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("old", [1], { handler: "json" });
    clock.set("2025-03-01T00:00:00");
    w.logArtifact("new", [1], { handler: "json" });
    await w.save();
    const { Repository } = await import("./Repository.js");
    const { testRegistry } = await import("../testSupport.js");
    const seen: string[] = [];
    const r = await Repository.open("repository.json", { storage, mode: "r", handlers: testRegistry(), onWarning: (x) => seen.push(`${x.code}: ${x.message}`) });
    expect(r.filter("2025-02-01T00:00:00").names()).toEqual(["old"]);
    expect(seen).toEqual(["NO_VERSION_BEFORE: Artifact 'new' does not have a version that predates 2025-02-01T00:00:00"]);
    r.filter(new Date("2025-02-01T00:00:00Z")); // str(datetime) in Python's message
    expect(seen[1]).toBe("NO_VERSION_BEFORE: Artifact 'new' does not have a version that predates 2025-02-01 00:00:00");
    r.filter("2025-04-01T00:00:00");
    expect(seen).toHaveLength(2);
  });
});

describe("save() with a value its handler refuses", () => {
  it("throws SaveError naming the artifact, the handler's error as cause, and writes nothing", async () => {
    const { Repository } = await import("./Repository.js");
    const { testRegistry } = await import("../testSupport.js");
    const handlers = testRegistry();
    const refusal = new TypeError("Object of type function is not JSON serializable");
    handlers.register({ alias: "strict", suffix: "json", binary: false, write: (v: unknown) => { if (typeof v === "function") throw refusal; return JSON.stringify(v); }, read: async (s) => JSON.parse(await s.text()) as unknown });
    for (const existing of [false, true]) {
      const storage = new MemoryStorage();
      if (existing) {
        const first = await Repository.open("repository.json", { storage, mode: "w", handlers, now: fakeClock("2024-01-01T00:00:00").now });
        first.logArtifact("old", [0], { handler: "json" });
        await first.save();
      }
      const before = await storage.list("");
      const manifestBefore = existing ? await text(storage) : null;
      const w = await Repository.open("repository.json", { storage, mode: existing ? "a" : "w", handlers, now: fakeClock("2025-01-01T00:00:00").now });
      w.logArtifact("good", [1], { handler: "json" });
      w.logArtifact("t", Number, { handler: "strict" });
      const err = await w.save().then(() => null, (x: unknown) => x);
      expect(err).toMatchObject({ code: "SAVE_FAILED", message: expect.stringMatching(/"t" \(handler "strict"\).*not JSON serializable/) });
      expect((err as Error).cause).toBe(refusal);
      expect(await storage.list("")).toEqual(before);
      if (manifestBefore !== null) expect(await text(storage)).toBe(manifestBefore);
    }
  });
});

describe("file names with subfolders, as Python 2.2.1 accepts them", () => {
  it("log, save, load, verify, filter and gc handle <name>/mydir/subdir/x.json", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-01-20T13:23:30");
    const w = await openMem(storage, "w", clock.now);
    w.logArtifact("my-dict", { a: 1 }, { fname: "mydir/subdir/my-dict.json", handler: "json" });
    await w.save();
    expect(await text(storage, "my-dict/mydir/subdir/my-dict.json")).toBe('{"a":1}');
    expect(JSON.parse(await text(storage))[0]).toMatchObject({ created_at: "2025-01-20T13:23:30", expiry: null, fname: "mydir/subdir/my-dict.json", handler: "json", name: "my-dict", version: 0 });
    expect(() => w.logArtifact("my-dict", { a: 2 }, { fname: "mydir/subdir/my-dict.json", handler: "json" })).toThrow(code("ARTIFACT_LOG"));
    clock.tick(60);
    w.logArtifact("my-dict", { a: 2 }, { fname: "mydir/other/my-dict.json", handler: "json" });
    await w.save();

    const r = await openMem(storage, "r", clock.now);
    expect(await r.loadArtifact("my-dict", { version: 0 })).toEqual({ a: 1 });
    expect(await r.loadArtifact("my-dict")).toEqual({ a: 2 });
    expect(await r.verify()).toEqual([]);
    expect(r.filter("2025-01-20T13:24:00").getArtifactMetadata("my-dict").fname).toBe("mydir/subdir/my-dict.json");
    expect(await r.filter([["my-dict", 0]]).loadArtifact("my-dict")).toEqual({ a: 1 });

    await storage.write("my-dict/mydir/subdir/stray.json", "{}");
    await storage.write("my-dict/mydir/subdir/my-dict.json", '{"a":9}');
    expect(await r.verify()).toMatchObject([{ name: "my-dict", version: 0, problem: "sha256" }]);
    const gc = await w.gc({ graceSeconds: 0, dryRun: true });
    expect(gc.orphans).toEqual(["my-dict/mydir/subdir/stray.json"]);
    await w.gc({ graceSeconds: 0 });
    expect(await storage.stat("my-dict/mydir/other/my-dict.json")).not.toBeNull();
    expect(await storage.stat("my-dict/mydir/subdir/stray.json")).toBeNull();
  });
});
