import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ConflictError, ManifestError, MemoryStorage, PreconditionFailedError, type ArtifactHandler, HandlerRegistry, defaultHandlers } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { Project } from "./Project.js";
import { ProjectRegistry } from "./ProjectRegistry.js";
import { SpyStorage, fakeClock, openMem, readText, storageText, tempDir } from "./test-support/helpers.js";

const names = async (storage: MemoryStorage | SpyStorage, key = "project.json") =>
  (JSON.parse((await storageText(storage, key)).replace(/NaN/g, "null")) as Array<{ name: string }>).map((e) => e.name);

describe("save(): crash-safe ordering", () => {
  it("writes artifact files first, created exclusively, and project.json last with compare-and-swap", async () => {
    const storage = new SpyStorage();
    const p = await openMem(storage as never, { mode: "w" });
    await p.log("x", async (e) => {
      e.logArtifact("a", [1], { handler: "json" });
      await e.logTest("t", (t) => void t.logArtifact("b", [2], { handler: "json" }));
    });
    await p.save();
    expect(storage.writes).toEqual([
      { key: "x-20250302100000/a-20250302100000.json", options: { ifNoneMatch: "*" } },
      { key: "x-20250302100000/t/b-20250302100000.json", options: { ifNoneMatch: "*" } },
      { key: "project.json", options: {} }, // mode w replaces the file on its first save
    ]);
    p.get("x").logMetric("m", 1);
    await p.save();
    expect(storage.writes.slice(3)).toEqual([{ key: "project.json", options: { ifMatch: expect.any(String) } }]);

    const a = await openMem(new SpyStorage() as never, { mode: "a" });
    await a.log("y", () => undefined);
    const spy = (a.storage as SpyStorage);
    await a.save();
    expect(spy.writes).toEqual([{ key: "project.json", options: { ifNoneMatch: "*" } }]);
  });

  it("only dirty experiments' artifacts are written; saving twice writes nothing new", async () => {
    const storage = new SpyStorage();
    const p = await openMem(storage as never, { mode: "w" });
    await p.log("x", (e) => void e.logArtifact("a", [1], { handler: "json" }));
    await p.save();
    const n = storage.writes.length;
    await p.save();
    expect(storage.writes.length).toBe(n);
    await p.log("y", (e) => void e.logArtifact("b", [1], { handler: "json" }));
    await p.save();
    expect(storage.writes.slice(n).map((w) => w.key)).toEqual(["y-20250302100000/b-20250302100000.json", "project.json"]);
  });

  it("a failing artifact write commits nothing and removes the files this save wrote", async () => {
    const failing: ArtifactHandler = { alias: "failing", suffix: "bin", binary: true, write: () => { throw new Error("disk on fire"); }, read: () => null };
    const handlers = new HandlerRegistry([...["json"].map((a) => defaultHandlers().get(a)), failing] as never);
    const storage = new MemoryStorage();
    const p = await openMem(storage, { mode: "a", handlers });
    await p.log("x", (e) => {
      e.logArtifact("good", [1], { handler: "json" });
      e.logArtifact("bad", 1, { handler: "failing" });
    });
    await expect(p.save()).rejects.toThrow(/disk on fire/);
    expect(await storage.list("")).toEqual([]);
    expect(p.dirty).toBe(true);
  });

  it("gives up with ConflictError after bounded retries, removing the files it wrote", async () => {
    const storage = new SpyStorage();
    const p = await openMem(storage as never, { mode: "a", retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 } });
    await p.log("x", (e) => void e.logArtifact("a", [1], { handler: "json" }));
    storage.failWrite = (key) => (key === "project.json" ? new PreconditionFailedError(key) : undefined);
    await expect(p.save()).rejects.toThrow(ConflictError);
    expect(storage.writes.filter((w) => w.key === "project.json")).toHaveLength(3);
    expect(await storage.list("")).toEqual([]);
    expect(storage.deletes).toEqual(["x-20250302100000/a-20250302100000.json"]);
    // Later the save goes through, with the artifact written again.
    storage.failWrite = undefined;
    await p.save();
    expect(await names(storage)).toEqual(["x"]);
    expect(await p.get("x").loadArtifact("a")).toEqual([1]);
  });

  it("never overwrites an invalid project.json (ManifestError naming the file and position)", async () => {
    const storage = new MemoryStorage();
    await storage.write("project.json", '[{"name": "x", "created_at": "not a time"}]');
    await expect(openMem(storage, { mode: "r" })).rejects.toThrow(ManifestError);
    await expect(openMem(storage, { mode: "r" })).rejects.toThrow(/project\.json at \[0\]\.created_at/);
    const w = await openMem(new MemoryStorage(), { mode: "a" });
    await w.log("y", (e) => void e.logArtifact("a", [1], { handler: "json" }));
    // Another writer corrupts the file between our open and save.
    await w.storage.write("project.json", "[{ broken");
    await expect(w.save()).rejects.toThrow(/not valid JSON/);
    expect(await storageText(w.storage as MemoryStorage, "project.json")).toBe("[{ broken");
    expect(await w.storage.list("y-")).toEqual([]);
  });

  it("rejects schema-invalid entries with the zod path", async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"a": 1}', /project\.json: /],
      ['[{"name": 3, "created_at": "2025-01-01T00:00:00"}]', /\[0\]\.name/],
      ['[{"name": "x", "created_at": "2025-01-01T00:00:00", "tests": [{"description": "d"}]}]', /\[0\]\.tests\[0\]\.name/],
      ['[{"name": "x", "created_at": "2025-01-01T00:00:00", "artifacts": [{"name": "a"}]}]', /\[0\]\.artifacts\[0\]/],
      ['[{"name": "x", "created_at": "2025-01-01T00:00:00", "slug": "../escape"}]', /\[0\]\.slug/],
      ['[{"name": "x", "created_at": "2025-01-01T00:00:00", "dependencies": ["no-bar"]}]', /\[0\]\.dependencies\[0\]/],
    ];
    for (const [text, message] of cases) {
      const storage = new MemoryStorage();
      await storage.write("project.json", text);
      await expect(openMem(storage, { mode: "r" })).rejects.toThrow(message);
    }
  });

  it("serializes concurrent save() calls on one instance", async () => {
    const storage = new MemoryStorage();
    const p = await openMem(storage, { mode: "a" });
    await p.log("a", () => undefined);
    const first = p.save();
    await p.log("b", () => undefined);
    await Promise.all([first, p.save(), p.save()]);
    expect(await names(storage)).toEqual(["a", "b"]);
  });
});

describe("save(): concurrent writers lose nothing", () => {
  it("keeps experiments other writers added; this instance's edits win for its own", async () => {
    const storage = new MemoryStorage();
    const seed = await openMem(storage, { mode: "w" });
    await seed.log("shared", (e) => e.logMetric("m", 0));
    await seed.save();

    const editor = await openMem(storage, { mode: "w+", author: "bob", now: fakeClock("2025-03-05T00:00:00").now });
    const other = await openMem(storage, { mode: "a", author: "carol", now: fakeClock("2025-03-04T00:00:00").now });
    await other.log("theirs", (e) => e.logMetric("m", 2));
    await other.save();

    editor.get("shared").logMetric("m", 1);
    await editor.log("mine", () => undefined);
    await editor.save();
    expect(await names(storage)).toEqual(["shared", "theirs", "mine"]);
    const r = await openMem(storage, { mode: "r" });
    expect(r.get("shared").metrics).toEqual({ m: 1 });
    expect(r.get("shared").lastUpdatedBy).toBe("bob");
    expect(r.get("theirs").metrics).toEqual({ m: 2 });
  });

  it("8 writers each logging and saving experiments at once keep every experiment and file", async () => {
    const storage = new SpyStorage();
    const writers = await Promise.all(
      Array.from({ length: 8 }, (_, w) => openMem(storage as never, { mode: "a", author: `w${w}`, retry: { attempts: 200, baseDelayMs: 0, maxDelayMs: 1 } })),
    );
    await Promise.all(
      writers.map(async (p, w) => {
        for (let i = 0; i < 5; i++) {
          await p.log(`w${w}-e${i}`, (e) => {
            e.logMetric("i", i);
            e.logArtifact("data", { w, i }, { handler: "json" });
          });
          // Same name and second in every writer: same slug, kept apart.
          if (i === 0) await p.log("shared", (e) => void e.logArtifact("data", { w }, { handler: "json" }));
          await p.save();
        }
      }),
    );
    // The writers really raced: commits and same-named files collided and were retried.
    expect(storage.writeErrors.filter((c) => c === "PRECONDITION_FAILED").length).toBeGreaterThan(8);
    const r = await openMem(storage as never, { mode: "r" });
    expect(r.experiments).toHaveLength(8 * 6);
    for (let w = 0; w < 8; w++) for (let i = 0; i < 5; i++) expect(await r.get(`w${w}-e${i}`).loadArtifact("data")).toEqual({ w, i });
    const shared = r.filter((e) => e.shortSlug === "shared");
    expect(shared).toHaveLength(8);
    expect(new Set(shared.map((e) => e.artifacts[0]!.fname)).size).toBe(8);
    expect((await Promise.all(shared.map((e) => e.loadArtifact<{ w: number }>("data")))).map((v) => v.w).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("8 processes logging into one local project.json at once lose none", async () => {
    const dist = join(__dirname, "..", "dist", "index.js");
    // The child processes run the built package (turbo builds it before `test`).
    expect(existsSync(dist), `build @lazyscribe/experiments first (${dist} is missing)`).toBe(true);
    const dir = await tempDir();
    const location = join(dir, "project.json");
    const script = join(__dirname, "test-support", "concurrentWriter.mjs");
    const run = promisify(execFile);
    await Promise.all(Array.from({ length: 8 }, (_, w) => run(process.execPath, [script, location, String(w), "4"], { cwd: dir })));
    const r = await Project.open(location, { mode: "r", registry: new ProjectRegistry() });
    expect(r.experiments).toHaveLength(8 * 5);
    for (let w = 0; w < 8; w++) {
      for (let i = 0; i < 4; i++) expect(await r.get(`w${w}-e${i}`).loadArtifact("data")).toEqual({ w, i });
    }
    const shared = r.filter((e) => e.shortSlug === "shared");
    expect(new Set(shared.map((e) => e.artifacts[0]!.fname)).size).toBe(8);
    expect((await Promise.all(shared.map((e) => e.loadArtifact<{ w: number }>("data")))).map((v) => v.w).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await readText(location)).toMatch(/^\[\n {4}\{\n {8}"artifacts"/);
  });
});

describe("save(): entries nobody changed keep their bytes", () => {
  const pythonEntry = [
    "{",
    '        "artifacts": [],',
    '        "author": "py",',
    '        "created_at": "2025-01-01T00:00:00",',
    '        "dependencies": [],',
    '        "last_updated": "2025-01-01T00:00:00",',
    '        "last_updated_by": "py",',
    '        "metrics": {',
    '            "big": 12345678901234567890,',
    '            "one": 1.0,',
    '            "tiny": 1e-05',
    "        },",
    '        "name": "caf\\u00e9",',
    '        "parameters": {},',
    '        "short_slug": "cafe",',
    '        "slug": "cafe-20250101000000",',
    '        "tags": [],',
    '        "tests": []',
    "    }",
  ].join("\n");

  it("Python's 1.0, 1e-05 and integers beyond 2^53 survive other writers' saves", async () => {
    const storage = new MemoryStorage();
    await storage.write("project.json", `[\n    ${pythonEntry}\n]`);
    const a = await openMem(storage, { mode: "a" });
    expect(a.get("cafe").metrics.one).toBe(1);
    await a.log("new", () => undefined);
    await a.save();
    const text = await storageText(storage, "project.json");
    expect(text.startsWith(`[\n    ${pythonEntry},\n    {\n        "artifacts": []`)).toBe(true);
    // And again after a second writer re-reads the file.
    const b = await openMem(storage, { mode: "w+" });
    b.get("new").logMetric("m", 1);
    await b.save();
    expect((await storageText(storage, "project.json")).startsWith(`[\n    ${pythonEntry},\n`)).toBe(true);
    // The edited entry itself is normalized (JavaScript numbers): documented.
    b.get("cafe").tag("edited");
    await b.save();
    expect(await storageText(storage, "project.json")).toContain('"one": 1,');
  });

  it("files in another layout are rewritten in the standard one", async () => {
    const storage = new MemoryStorage();
    await storage.write("project.json", `[${JSON.stringify({ name: "x", created_at: "2025-01-01T00:00:00", metrics: { b: 1, a: 2 } })}]`);
    const a = await openMem(storage, { mode: "a" });
    await a.log("y", () => undefined);
    await a.save();
    const text = await storageText(storage, "project.json");
    expect(text).toMatch(/^\[\n {4}\{\n {8}"created_at": "2025-01-01T00:00:00",\n {8}"metrics": \{\n {12}"a": 2,/);
    expect(JSON.parse(text)).toHaveLength(2);
  });
});

describe("values that cannot be written are never dropped", () => {
  const unwritable: Array<[string, (e: import("./Experiment.js").Experiment) => void | Promise<void>, RegExp]> = [
    ["a parameter that is a function", (e) => e.logParameter("t", Number), /parameters\.t is a function/],
    ["a nested undefined", (e) => e.logParameter("p", { a: 1, b: undefined }), /parameters\.p\.b is undefined/],
    ["a Map parameter", (e) => e.logParameter("m", new Map([[1, 2]])), /parameters\.m is a Map/],
    ["a bigint metric", (e) => e.logMetric("m", 1n as never), /metrics\.m is a bigint/],
    ["a symbol metric", (e) => e.logMetric("m", Symbol("x") as never), /metrics\.m is a symbol/],
    ["an undefined metric", (e) => e.logMetric("m", undefined as never), /metrics\.m is undefined/],
    ["a test parameter", async (e) => void (await e.logTest("t", (t) => t.logParameter("f", () => 1))), /tests\[0\]\.parameters\.f is a function/],
    ["a circular parameter", (e) => { const o: Record<string, unknown> = {}; o.self = o; e.logParameter("c", o); }, /circular/],
  ];

  it.each(unwritable)("%s → SaveError naming it, nothing written", async (_what, log, message) => {
    const storage = new MemoryStorage();
    const p = await openMem(storage, { mode: "w", now: fakeClock("2025-01-01T00:00:00").now });
    await p.log("e", async (e) => {
      e.logArtifact("features", [1, 2], { handler: "json" });
      await log(e);
    });
    const err = await p.save().then(() => null, (x: unknown) => x);
    expect(err).toMatchObject({ code: "SAVE_FAILED", message: expect.stringMatching(message) });
    expect((err as Error).message).toContain('experiment "e-20250101000000"');
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(await storage.list("")).toEqual([]);
  });

  it("an artifact its handler refuses → SaveError with the handler's error as cause, nothing written (not even other files)", async () => {
    const storage = new MemoryStorage();
    const p = await openMem(storage, { mode: "w", now: fakeClock("2025-01-01T00:00:00").now });
    await p.log("e", (e) => {
      e.logArtifact("good", [1], { handler: "json" });
      e.logArtifact("bad", { f: Number }, { handler: "json" });
    });
    const err = await p.save().then(() => null, (x: unknown) => x);
    expect(err).toMatchObject({ code: "SAVE_FAILED", message: expect.stringMatching(/"bad" of experiment "e-20250101000000" \(handler "json"\).*function/) });
    expect((err as Error).cause).toMatchObject({ code: "ARTIFACT_LOG" });
    expect(await storage.list("")).toEqual([]);
  });

  it("a writable save still saves after the bad value is fixed", async () => {
    const storage = new MemoryStorage();
    const p = await openMem(storage, { mode: "w", now: fakeClock("2025-01-01T00:00:00").now });
    const exp = await p.log("e", (e) => e.logParameter("t", Number));
    await expect(p.save()).rejects.toMatchObject({ code: "SAVE_FAILED" });
    exp.logParameter("t", "Number");
    await p.save();
    expect(JSON.parse(await storageText(storage, "project.json"))[0].parameters).toEqual({ t: "Number" });
  });
});
