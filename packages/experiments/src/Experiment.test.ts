import { ArtifactLoadError, ArtifactLogError, IntegrityError, MemoryStorage, UnknownHandlerError } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { Test } from "./Test.js";
import { code, deferred, fakeClock, openMem, storageText } from "./test-support/helpers.js";

async function fresh(clock = fakeClock("2025-03-02T10:00:00")) {
  const storage = new MemoryStorage();
  const project = await openMem(storage, { mode: "w", now: clock.now });
  return { storage, project, clock };
}

describe("Experiment fields and logging", () => {
  it("logs metrics, parameters and tags; every change updates lastUpdated / lastUpdatedBy", async () => {
    const { project, clock } = await fresh();
    const exp = await project.log("x", (e) => {
      clock.tick(5);
      e.logMetric("accuracy", 0.9);
      e.logMetric("loss", NaN);
      clock.tick(5);
      e.logParameter("depth", 3);
      e.logParameter("features", ["a", "b"]);
    });
    expect(exp.metrics.accuracy).toBe(0.9);
    expect(Number.isNaN(exp.metrics.loss)).toBe(true);
    expect(exp.parameters).toEqual({ depth: 3, features: ["a", "b"] });
    expect(exp.createdAt).toEqual(new Date("2025-03-02T10:00:00Z"));
    expect(exp.lastUpdated).toEqual(new Date("2025-03-02T10:00:10Z"));
    clock.tick(1);
    exp.tag("b");
    expect(exp.lastUpdated).toEqual(new Date("2025-03-02T10:00:11Z"));
    expect(() => exp.logMetric("", 1)).toThrow(/non-empty/);
    const curve = [0.5, 0.6];
    exp.logMetric("curve", curve);
    curve.push(1);
    expect(exp.metrics.curve).toEqual([0.5, 0.6]);
  });

  it("tag() appends unique tags; tag(tags, { overwrite: true }) replaces them", async () => {
    const { project } = await fresh();
    const exp = await project.log("x", () => undefined);
    exp.tag("a", "b");
    exp.tag("b", "c", "a");
    expect(exp.tags).toEqual(["a", "b", "c"]);
    exp.tag(["d"], { overwrite: true });
    expect(exp.tags).toEqual(["d"]);
    exp.tag(["e", "e"], { overwrite: false });
    expect(exp.tags).toEqual(["d", "e"]);
    exp.tag([], { overwrite: true });
    expect(exp.tags).toEqual([]);
    expect(() => exp.tag(1 as never)).toThrow(/tags must be strings/);
  });

  it("logArtifact: default fname from the artifact's creation time, not versioned, overwrite on request", async () => {
    const { project, clock, storage } = await fresh();
    const exp = await project.log("Model Card", (e) => {
      clock.tick(30);
      const rec = e.logArtifact("My features", [1, 2, 3], { handler: "json", indent: 4 });
      expect(rec).toMatchObject({ name: "My features", version: 0, handler: "json", fname: "my-features-20250302100030.json", expiry: null });
      expect(rec.createdAt).toEqual(new Date("2025-03-02T10:00:30Z"));
    });
    expect(() => exp.logArtifact("My features", [4], { handler: "json" })).toThrow(ArtifactLogError);
    // @ts-expect-error -- an unknown alias does not compile either; JavaScript callers get the error
    expect(() => exp.logArtifact("bad", 1, { handler: "nope" })).toThrow(UnknownHandlerError);
    expect(() => exp.logArtifact("bad", 1, { handler: 3 as never })).toThrow(ArtifactLogError);
    expect(() => exp.logArtifact("../evil", 1, { handler: "json" })).toThrow(code("INVALID_NAME"));
    expect(() => exp.logArtifact("evil", 1, { handler: "json", fname: "../x.json" })).toThrow(code("INVALID_NAME"));
    expect(() => exp.logArtifact("other", 1, { handler: "json", fname: "my-features-20250302100030.json" })).toThrow(ArtifactLogError);
    exp.logArtifact("My features", [9], { handler: "json", overwrite: true });
    expect(exp.artifacts.map((a) => a.name)).toEqual(["My features"]);
    // No handler: chosen from the value like the repository does.
    exp.logArtifact("notes", "hello");
    expect(exp.artifacts.map((a) => a.handler)).toEqual(["json", "text"]);
    await project.save();
    expect(await storageText(storage, "model-card-20250302100000/my-features-20250302100030.json")).toBe("[9]");
    expect(await exp.loadArtifact("My features")).toEqual([9]);
    expect(await exp.loadArtifact("notes")).toBe("hello");
  });

  it("overwriting a saved artifact writes a new file and never overwrites the old one", async () => {
    const { project, storage, clock } = await fresh();
    const exp = await project.log("x", (e) => void e.logArtifact("a", [1], { handler: "json" }));
    await project.save();
    exp.logArtifact("a", [2], { handler: "json", overwrite: true }); // same second: same default name
    await project.save();
    expect(exp.artifacts[0]!.fname).toBe("a-20250302100000-1.json");
    expect(await storageText(storage, "x-20250302100000/a-20250302100000.json")).toBe("[1]");
    expect(await exp.loadArtifact("a")).toEqual([2]);
    clock.tick(1);
    expect(() => exp.logArtifact("a", [3], { handler: "json", overwrite: true, fname: "a-20250302100000-1.json" })).toThrow(
      /never overwritten/,
    );
  });

  it("loadArtifact: unknown or unsaved names → ArtifactLoadError; hash verified unless verify: false", async () => {
    const { project, storage } = await fresh();
    const exp = await project.log("x", (e) => void e.logArtifact("a", { k: 1 }, { handler: "json" }));
    await expect(exp.loadArtifact("a")).rejects.toThrow(/not saved yet/);
    await expect(exp.loadArtifact("zzz")).rejects.toThrow(ArtifactLoadError);
    await project.save();
    expect(exp.artifacts[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(exp.artifacts[0]!.size).toBe(8);
    const key = "x-20250302100000/a-20250302100000.json";
    await storage.write(key, '{"k": 2}');
    await expect(exp.loadArtifact("a")).rejects.toThrow(IntegrityError);
    expect(await exp.loadArtifact("a", { verify: false })).toEqual({ k: 2 });
    await storage.delete(key);
    await expect(exp.loadArtifact("a")).rejects.toThrow(/missing/);
  });

  it("stores sha256 and size for saved artifacts in project.json", async () => {
    const { project, storage } = await fresh();
    await project.log("x", (e) => void e.logArtifact("a", [1], { handler: "json" }));
    await project.save();
    const [entry] = JSON.parse(await storageText(storage, "project.json"));
    expect(Object.keys(entry.artifacts[0])).toEqual(["created_at", "expiry", "fname", "handler", "name", "sha256", "size", "version"]);
  });
});

describe("logTest", () => {
  it("adds the test only if fn resolves; its artifacts live in <slug>/<slug(test name)>/", async () => {
    const { project, storage } = await fresh();
    const exp = await project.log("x", async (e) => {
      const t = await e.logTest(
        "Young customers",
        (t) => {
          t.logMetric("accuracy", 0.7);
          t.logParameter("max_age", 30);
          t.logArtifact("confusion", [[5, 1], [2, 9]], { handler: "json" });
        },
        { description: "age < 30" },
      );
      expect(t).toBeInstanceOf(Test);
      await expect(e.logTest("broken", () => Promise.reject(new Error("nope")))).rejects.toThrow("nope");
      await expect(e.logTest("", () => undefined)).rejects.toThrow(/non-empty/);
      await expect(e.logTest("bad", () => undefined, { description: 3 as never })).rejects.toThrow(/invalid logTest options/);
    });
    expect(exp.tests.map((t) => t.name)).toEqual(["Young customers"]);
    const [t] = exp.tests;
    expect(t!.description).toBe("age < 30");
    expect(t!.metrics).toEqual({ accuracy: 0.7 });
    expect(t!.parameters).toEqual({ max_age: 30 });
    await project.save();
    expect(await storageText(storage, "x-20250302100000/young-customers/confusion-20250302100000.json")).toBe("[[5, 1], [2, 9]]");
    expect(await t!.loadArtifact("confusion")).toEqual([[5, 1], [2, 9]]);
    await expect(t!.loadArtifact("nope")).rejects.toThrow(ArtifactLoadError);
    const [entry] = JSON.parse(await storageText(storage, "project.json"));
    expect(entry.tests).toHaveLength(1);
    expect(Object.keys(entry.tests[0])).toEqual(["artifacts", "description", "metrics", "name", "parameters"]);
    expect(entry.tests[0].description).toBe("age < 30");
  });

  it("description defaults to null, like Python's None", async () => {
    const { project } = await fresh();
    const exp = await project.log("x", (e) => e.logTest("t", () => undefined).then(() => undefined));
    expect(exp.tests[0]!.description).toBeNull();
    expect((exp.toJSON().tests as Array<Record<string, unknown>>)[0]!.description).toBeNull();
  });

  it("runs safely under Promise.all: tests keep start order, each keeps its own state", async () => {
    const { project, storage } = await fresh();
    const gates = Array.from({ length: 6 }, () => deferred());
    const exp = await project.log("x", async (e) => {
      await Promise.all(
        gates.map((g, i) =>
          e.logTest(`segment ${i}`, async (t) => {
            t.logMetric("before", i);
            await g.promise;
            t.logMetric("after", i * 10);
            t.logArtifact("rows", [i], { handler: "json" });
            if (i === 3) throw new Error("segment 3 failed");
          }).catch((err: Error) => {
            if (i !== 3) throw err;
          }),
        ).concat(
          (async () => {
            // Finish in reverse order.
            for (let i = gates.length - 1; i >= 0; i--) {
              gates[i]!.resolve();
              await new Promise((r) => setImmediate(r));
            }
          })(),
        ),
      );
    });
    expect(exp.tests.map((t) => t.name)).toEqual(["segment 0", "segment 1", "segment 2", "segment 4", "segment 5"]);
    for (const t of exp.tests) {
      const i = Number(t.name.split(" ")[1]);
      expect(t.metrics).toEqual({ before: i, after: i * 10 });
      expect(t.artifacts.map((a) => a.name)).toEqual(["rows"]);
    }
    await project.save();
    for (const i of [0, 1, 2, 4, 5]) expect(await storageText(storage, `x-20250302100000/segment-${i}/rows-20250302100000.json`)).toBe(`[${i}]`);
    expect(await storage.list("x-20250302100000/segment-3")).toEqual([]);
  });

  it("a failed test does not touch the experiment", async () => {
    const { project, clock } = await fresh();
    const exp = await project.log("x", () => undefined);
    await project.save();
    clock.tick(60);
    await expect(exp.logTest("t", (t) => {
      t.logMetric("m", 1);
      throw new Error("x");
    })).rejects.toThrow("x");
    expect(exp.lastUpdated).toEqual(exp.createdAt);
    expect(project.dirty).toBe(false);
  });

  it("two tests with the same name share a folder without overwriting each other's files", async () => {
    const { project, storage } = await fresh();
    const exp = await project.log("x", async (e) => {
      await e.logTest("t", (t) => void t.logArtifact("a", [1], { handler: "json" }));
      await e.logTest("t", (t) => void t.logArtifact("a", [2], { handler: "json" }));
    });
    await project.save();
    expect((await storage.list("x-20250302100000/t/")).sort()).toEqual([
      "x-20250302100000/t/a-20250302100000-1.json",
      "x-20250302100000/t/a-20250302100000.json",
    ]);
    expect(await exp.tests[0]!.loadArtifact("a")).toEqual([1]);
    expect(await exp.tests[1]!.loadArtifact("a")).toEqual([2]);
  });
});
