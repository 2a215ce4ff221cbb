import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MemoryStorage, isLazyscribeError } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { ExperimentNotFoundError } from "./errors.js";
import { Experiment } from "./Experiment.js";
import { Project } from "./Project.js";
import { ProjectRegistry } from "./ProjectRegistry.js";
import { code, deferred, fakeClock, openMem, storageText } from "./test-support/helpers.js";

describe("Project.open", () => {
  it("validates options with clear errors", async () => {
    const storage = new MemoryStorage();
    await expect(Project.open("project.json", { storage, mode: "x" as never })).rejects.toThrow(/mode must be one of/);
    await expect(Project.open("project.json", { storage, author: "" })).rejects.toThrow(/author/);
    await expect(Project.open("project.json", { storage: {} as never })).rejects.toThrow(/StorageBackend/);
    await expect(Project.open("", { storage })).rejects.toThrow(/non-empty/);
  });

  it("defaults to mode a and the OS user as author", async () => {
    const p = await Project.open("project.json", { storage: new MemoryStorage(), registry: new ProjectRegistry() });
    expect(p.mode).toBe("a");
    expect(p.author.length).toBeGreaterThan(0);
  });

  it("a missing project file is an empty project in every mode", async () => {
    for (const mode of ["r", "a", "w", "w+"] as const) {
      const p = await openMem(new MemoryStorage(), { mode });
      expect(p.experiments).toEqual([]);
    }
  });

  it("memory:// locations use the process-wide memory store", async () => {
    const where = `memory://exp-test-${Math.random().toString(36).slice(2)}/project.json`;
    const p = await Project.open(where, { mode: "w", author: "a", registry: new ProjectRegistry(), now: fakeClock("2025-01-01T00:00:00").now });
    await p.log("x", () => undefined);
    await p.save();
    const again = await Project.open(where, { mode: "r", registry: new ProjectRegistry() });
    expect(again.get("x").path).toBe(`${where.slice("memory://".length).split("/")[0]}/x-20250101000000`);
  });
});

describe("Project.log", () => {
  it("creates an experiment at now(), runs fn and appends it only when fn resolves", async () => {
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    const exp = await p.log("My experiment", async (e) => {
      expect(p.experiments).toEqual([]);
      e.logMetric("accuracy", 0.9);
    });
    expect(exp).toBeInstanceOf(Experiment);
    expect(p.experiments).toEqual([exp]);
    expect(exp.createdAt).toEqual(new Date("2025-03-02T10:00:00Z"));
    expect(exp.slug).toBe("my-experiment-20250302100000");
    expect(exp.shortSlug).toBe("my-experiment");
    expect(exp.author).toBe("alice");
    expect(exp.lastUpdatedBy).toBe("alice");
    expect(exp.readOnly).toBe(false);
  });

  it("leaves the project unchanged when fn throws, and the error propagates", async () => {
    const storage = new MemoryStorage();
    const p = await openMem(storage, { mode: "w" });
    await p.log("kept", () => undefined);
    const boom = new Error("boom");
    await expect(
      p.log("failed", async (e) => {
        e.logMetric("m", 1);
        e.logArtifact("a", [1], { handler: "json" });
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(p.experiments.map((e) => e.name)).toEqual(["kept"]);
    await p.save();
    expect(JSON.parse(await storageText(storage, "project.json")).map((e: { name: string }) => e.name)).toEqual(["kept"]);
    expect(await storage.list("failed")).toEqual([]);
  });

  it("keeps start order when several log() calls run concurrently", async () => {
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    const gates = [0, 1, 2].map(() => deferred());
    const runs = ["a", "b", "c"].map((n, i) => p.log(n, () => gates[i]!.promise));
    gates[2]!.resolve();
    gates[0]!.resolve();
    await Promise.resolve();
    gates[1]!.resolve();
    await Promise.all(runs);
    expect(p.experiments.map((e) => e.name)).toEqual(["a", "b", "c"]);
  });

  it("mode r refuses log, append and save with ReadOnlyError", async () => {
    const storage = new MemoryStorage();
    const w = await openMem(storage, { mode: "w" });
    const e = await w.log("x", () => undefined);
    await w.save();
    const r = await openMem(storage, { mode: "r" });
    await expect(r.log("y", () => undefined)).rejects.toThrow(code("READ_ONLY"));
    expect(() => r.append(e)).toThrow(code("READ_ONLY"));
    expect(() => r.save()).toThrow(code("READ_ONLY"));
    expect(r.get("x").readOnly).toBe(true);
  });

  it("mode a: existing experiments are read-only, new ones editable and saved alongside", async () => {
    const storage = new MemoryStorage();
    const w = await openMem(storage, { mode: "w" });
    await w.log("old", () => undefined);
    await w.save();
    const clock = fakeClock("2025-03-04T00:00:00");
    const a = await openMem(storage, { mode: "a", now: clock.now, author: "bob" });
    expect(() => a.get("old").logMetric("m", 1)).toThrow(code("READ_ONLY"));
    const n = await a.log("new", (e) => e.logMetric("m", 2));
    n.logMetric("m", 3);
    await a.save();
    const r = await openMem(storage, { mode: "r" });
    expect(r.experiments.map((e) => [e.slug, e.author])).toEqual([
      ["old-20250302100000", "alice"],
      ["new-20250304000000", "bob"],
    ]);
    expect(r.get("new").metrics).toEqual({ m: 3 });
  });

  it("mode w+: edits update lastUpdated / lastUpdatedBy and are saved in place", async () => {
    const storage = new MemoryStorage();
    const w = await openMem(storage, { mode: "w" });
    await w.log("one", (e) => e.logMetric("m", 1));
    await w.log("two", () => undefined);
    await w.save();
    const clock = fakeClock("2025-04-01T08:00:00");
    const p = await openMem(storage, { mode: "w+", now: clock.now, author: "bob" });
    const one = p.get("one");
    one.logMetric("m", 10);
    expect(one.lastUpdated).toEqual(new Date("2025-04-01T08:00:00Z"));
    expect(one.lastUpdatedBy).toBe("bob");
    expect(one.author).toBe("alice");
    await p.save();
    const r = await openMem(storage, { mode: "r" });
    expect(r.experiments.map((e) => e.name)).toEqual(["one", "two"]);
    expect(r.get("one").metrics).toEqual({ m: 10 });
    expect(r.get("one").lastUpdatedBy).toBe("bob");
    expect(r.get("two").lastUpdatedBy).toBe("alice");
  });
});

describe("Project queries", () => {
  async function sample(): Promise<Project> {
    const clock = fakeClock("2025-03-01T00:00:00");
    const p = await openMem(new MemoryStorage(), { mode: "w", now: clock.now });
    await p.log("Model", (e) => e.tag("old"));
    clock.set("2025-03-02T00:00:00");
    await p.log("Model", (e) => e.tag("new"));
    clock.set("2025-03-03T00:00:00");
    await p.log("Other", (e) => e.tag("new"));
    return p;
  }

  it("get() returns the newest match by slug or short slug, else ExperimentNotFoundError", async () => {
    const p = await sample();
    expect(p.get("model").tags).toEqual(["new"]);
    expect(p.get("model-20250301000000").tags).toEqual(["old"]);
    expect(() => p.get("missing")).toThrow(ExperimentNotFoundError);
    try {
      p.get("missing");
    } catch (err) {
      expect(isLazyscribeError(err, "EXPERIMENT_NOT_FOUND")).toBe(true);
      expect((err as Error).message).toMatch(/"missing".*model-20250301000000/);
    }
  });

  it("has, filter, experiments, iteration, toJSON", async () => {
    const p = await sample();
    expect(p.has("other")).toBe(true);
    expect(p.has("other-20250303000000")).toBe(true);
    expect(p.has("nope")).toBe(false);
    expect(p.filter((e) => e.tags.includes("new")).map((e) => e.slug)).toEqual(["model-20250302000000", "other-20250303000000"]);
    expect([...p].map((e) => e.name)).toEqual(["Model", "Model", "Other"]);
    const list = p.experiments;
    list.pop();
    expect(p.experiments).toHaveLength(3);
    const json = p.toJSON();
    expect(json).toHaveLength(3);
    expect(Object.keys(json[0]!)).toEqual([
      "artifacts", "author", "created_at", "dependencies", "last_updated", "last_updated_by",
      "metrics", "name", "parameters", "short_slug", "slug", "tags", "tests",
    ]);
    expect(json[2]).toMatchObject({ name: "Other", slug: "other-20250303000000", created_at: "2025-03-03T00:00:00", tags: ["new"] });
  });

  it("append() adds another project's experiment and saves it", async () => {
    const storage = new MemoryStorage();
    const other = await openMem(new MemoryStorage(), { mode: "w" });
    const e = await other.log("borrowed", (x) => x.logMetric("m", 1));
    const p = await openMem(storage, { mode: "w" });
    p.append(e);
    expect(() => p.append({} as Experiment)).toThrow(/needs an Experiment/);
    await p.save();
    const r = await openMem(storage, { mode: "r" });
    expect(r.get("borrowed").metrics).toEqual({ m: 1 });
  });
});

describe("slugs", () => {
  it("follow Python: short slug of the name, slug of '<name>-<YYYYMMDDHHMMSS>'", async () => {
    const clock = fakeClock("2025-03-02T10:00:00");
    const p = await openMem(new MemoryStorage(), { mode: "w", now: clock.now });
    const e = await p.log("Baseline model", () => undefined);
    expect([e.shortSlug, e.slug, e.path]).toEqual(["baseline-model", "baseline-model-20250302100000", "baseline-model-20250302100000"]);
    const n = await p.log("naïve émbed", () => undefined);
    expect(n.shortSlug).toBe("naive-embed");
  });

  it("use python-slugify's slugs (fixtures/slugify-cases.json) for experiment and test folders", async () => {
    const cases = JSON.parse(readFileSync(join(__dirname, "../../../fixtures/slugify-cases.json"), "utf8")) as Array<{ input: string; slug: string }>;
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    for (const { input, slug } of cases) {
      const e = await p.log(input, async (x) => void (await x.logTest(input, () => undefined)));
      expect(e.slug.length).toBeGreaterThan(0);
      // Latin-script inputs must match exactly; other scripts may transliterate differently.
      if (/^[\p{Script=Latin}\p{N}\p{P}\p{S}\p{Z}\s]*$/u.test(input)) {
        expect(e.shortSlug, input).toBe(slug);
        expect(e.slug, input).toBe(`${slug}-20250302100000`);
        expect(e.tests[0]!.path, input).toBe(`${slug}-20250302100000/${slug}`);
      }
    }
  });

  it("never produce an empty folder name", async () => {
    const storage = new MemoryStorage();
    const p = await openMem(storage, { mode: "w" });
    const e = await p.log("🚀", async (x) => {
      x.logArtifact("🚀", [1], { handler: "json" });
      await x.logTest("🚀", (t) => void t.logArtifact("x", [2], { handler: "json" }));
    });
    expect(e.shortSlug.length).toBeGreaterThan(0);
    expect(e.slug.length).toBeGreaterThan(0);
    expect(e.path).not.toBe("");
    await p.save();
    for (const key of await storage.list("")) {
      expect(key.split("/").every((seg) => seg.length > 0 && !seg.startsWith("-"))).toBe(true);
    }
    expect(e.tests[0]!.path.split("/")).toHaveLength(2);
  });

  it("put experiment folders beside a nested project file", async () => {
    const storage = new MemoryStorage();
    const p = await openMem(storage, { mode: "w" }, "team/ml/project.json");
    const e = await p.log("x", (x) => void x.logArtifact("a", [1], { handler: "json" }));
    expect(e.path).toBe("team/ml/x-20250302100000");
    await p.save();
    expect((await storage.list("team/ml/")).sort()).toEqual(["team/ml/project.json", "team/ml/x-20250302100000/a-20250302100000.json"]);
  });
});

describe("Project.get with several experiments of one slug", () => {
  const entry = (name: string, created: string, updated: string, metric: number) => ({
    artifacts: [], author: "x", created_at: created, dependencies: [], last_updated: updated, last_updated_by: "x",
    metrics: { m: metric }, name, parameters: {}, short_slug: name, slug: `${name}-${created.replace(/[-:T]/g, "")}`, tags: [], tests: [],
  });

  it("returns the most recently updated one, as Python lazyscribe does, wherever it is listed", async () => {
    const storage = new MemoryStorage();
    await storage.write("project.json", JSON.stringify([
      entry("m", "2025-01-01T00:00:00", "2025-03-01T00:00:00", 1),
      entry("m", "2025-01-01T00:00:00", "2025-02-01T00:00:00", 2),
      entry("other", "2024-01-01T00:00:00", "2024-01-01T00:00:00", 3),
    ]));
    for (const mode of ["r", "a", "w+"] as const) {
      const p = await openMem(storage, { mode });
      expect(p.get("m").metrics.m).toBe(1);
      expect(p.get("m-20250101000000").metrics.m).toBe(1);
      expect(p.find("m")!.metrics.m).toBe(1);
    }
  });

  it("an edit in this session makes an experiment the most recently updated", async () => {
    const clock = fakeClock("2025-01-01T00:00:00");
    const p = await openMem(new MemoryStorage(), { mode: "w", now: clock.now });
    const first = await p.log("m", (e) => e.logMetric("m", 1));
    await p.log("m", (e) => e.logMetric("m", 2));
    expect(p.get("m").metrics.m).toBe(2); // equal times: the later one
    clock.tick(5);
    first.logMetric("m", 3);
    expect(p.get("m")).toBe(first);
  });

  it("across different slugs of one short slug: the newest created", async () => {
    const storage = new MemoryStorage();
    await storage.write("project.json", JSON.stringify([
      entry("m", "2025-02-01T00:00:00", "2025-02-01T00:00:00", 1),
      entry("m", "2025-01-01T00:00:00", "2025-06-01T00:00:00", 2),
    ]));
    expect((await openMem(storage, { mode: "r" })).get("m").metrics.m).toBe(1);
  });
});

describe("unknown keys in project.json", () => {
  it("are kept on rewrite, including ones named __proto__ (entry, test, metrics, parameters)", async () => {
    const storage = new MemoryStorage();
    const text = `[{"__proto__": {"polluted": 1}, "artifacts": [], "author": "x", "created_at": "2025-01-01T00:00:00", "dependencies": [],
      "last_updated": "2025-01-01T00:00:00", "last_updated_by": "x", "metrics": {"__proto__": 0.5, "m": 1}, "name": "e",
      "parameters": {"__proto__": [1]}, "short_slug": "e", "slug": "e-20250101000000", "tags": [],
      "tests": [{"__proto__": "t", "artifacts": [], "description": null, "metrics": {"__proto__": 2}, "name": "t", "parameters": {}}]}]`;
    await storage.write("project.json", text);
    const p = await openMem(storage, { mode: "w+", now: fakeClock("2025-02-01T00:00:00").now });
    const e = p.get("e");
    expect(Object.keys(e.metrics)).toEqual(["__proto__", "m"]);
    expect(Object.keys(e.parameters)).toEqual(["__proto__"]);
    e.logParameter("__proto__", [2]);
    e.logMetric("m", 3);
    await p.save();
    const saved = JSON.parse(await storageText(storage, "project.json")) as Array<Record<string, unknown>>;
    const own = (o: unknown, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value;
    expect(own(saved[0], "__proto__")).toEqual({ polluted: 1 });
    expect(own(saved[0]!.metrics, "__proto__")).toBe(0.5);
    expect(own(saved[0]!.parameters, "__proto__")).toEqual([2]);
    const test = (saved[0]!.tests as unknown[])[0];
    expect(own(test, "__proto__")).toBe("t");
    expect(own((test as Record<string, unknown>).metrics, "__proto__")).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("deeply nested JSON in project.json", () => {
  const N = 100_000;
  const deep = "[".repeat(N) + "]".repeat(N);
  it.each([
    ["the whole file", deep],
    ["a parameter", `[{"name": "e", "created_at": "2025-01-01T00:00:00", "parameters": {"p": ${deep}}}]`],
    ["a parameter with NaN", `[{"name": "e", "created_at": "2025-01-01T00:00:00", "parameters": {"p": ${"[".repeat(N)}NaN${"]".repeat(N)}}}]`],
    ["an unknown key", `[{"name": "e", "created_at": "2025-01-01T00:00:00", "x": ${deep}}]`],
    ["objects", '{"a":'.repeat(N) + "1" + "}".repeat(N)],
  ])("%s → ManifestError, not RangeError", async (_what, body) => {
    const storage = new MemoryStorage();
    await storage.write("project.json", body);
    for (const mode of ["r", "a", "w+"] as const) {
      await expect(openMem(storage, { mode })).rejects.toThrow(code("MANIFEST_INVALID"));
    }
  });
});

describe("warnings Python gives", () => {
  it("output-only artifacts of experiments and tests: logged, saved, loaded", async () => {
    const { HandlerRegistry } = await import("@lazyscribe/core");
    const report = { alias: "report", suffix: "html", binary: false, outputOnly: true, write: (v: unknown) => String(v), read: async (s: { text(): Promise<string> }) => s.text() };
    const handlers = new HandlerRegistry([report as never]);
    const storage = new MemoryStorage();
    const seen: string[] = [];
    const onWarning = (w: { code: string; message: string }) => seen.push(`${w.code}: ${w.message}`);
    const p = await openMem(storage, { mode: "w", handlers, onWarning, now: fakeClock("2025-01-20T13:23:30").now });
    await p.log("e", async (e) => {
      e.logArtifact("features", "<p>", { handler: "report" });
      await e.logTest("t", (t) => void t.logArtifact("chart", "<svg>", { handler: "report" }));
    });
    const added = (n: string) => `OUTPUT_ONLY: Artifact '${n}' is added. It is not meant to be read back as Python Object`;
    expect(seen).toEqual([added("features"), added("chart")]);
    await p.save();
    expect(seen.slice(2)).toEqual([added("features"), added("chart")]);
    const r = await openMem(storage, { mode: "r", handlers, onWarning });
    expect(await r.get("e").loadArtifact("features")).toBe("<p>");
    expect(await r.get("e").tests[0]!.loadArtifact("chart")).toBe("<svg>");
    expect(seen.slice(4)).toEqual(["OUTPUT_ONLY: Artifact 'features' is not the original Python Object", "OUTPUT_ONLY: Artifact 'chart' is not the original Python Object"]);
    const silent = await openMem(storage, { mode: "r", handlers });
    await silent.get("e").loadArtifact("features");
    expect(seen).toHaveLength(6);
  });
});
