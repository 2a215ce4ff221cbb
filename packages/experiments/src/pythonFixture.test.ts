import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Project } from "./Project.js";
import { ProjectRegistry } from "./ProjectRegistry.js";
import { serializeProjectFile } from "./projectFile.js";
import { code, fakeClock, fixtureCopy, readText, tempDir } from "./test-support/helpers.js";

const open = (dir: string, mode: "r" | "a" | "w" | "w+", now = fakeClock("2025-03-05T12:00:00").now, author = "bob") =>
  Project.open(join(dir, "project.json"), { mode, now, author, registry: new ProjectRegistry() });

describe("Python lazyscribe 2.2.1 project fixture", () => {
  it.each(["r", "a", "w+"] as const)("opens in mode %s with metrics, parameters, tags, tests and artifacts", async (mode) => {
    const dir = await fixtureCopy();
    const p = await open(dir, mode);
    expect(p.experiments.map((e) => e.slug)).toEqual(["baseline-model-20250302100000", "tuned-model-20250303111500"]);

    const base = p.get("baseline-model");
    expect(base.name).toBe("Baseline model");
    expect(base.author).toBe("alice");
    expect(base.lastUpdatedBy).toBe("alice");
    expect(base.shortSlug).toBe("baseline-model");
    expect(base.createdAt).toEqual(new Date("2025-03-02T10:00:00Z"));
    expect(base.lastUpdated).toEqual(new Date("2025-03-02T10:00:00Z"));
    expect(base.metrics).toEqual({ accuracy: 0.81 });
    expect(base.parameters).toEqual({ depth: 3, features: ["a", "b"] });
    expect(base.tags).toEqual(["baseline"]);
    expect(base.readOnly).toBe(mode !== "w+");
    expect(base.path).toBe("baseline-model-20250302100000");
    expect(base.artifacts.map((a) => [a.name, a.version, a.handler, a.fname, a.expiry])).toEqual([
      ["features", 0, "json", "features-20250302100000.json", null],
    ]);
    expect(base.artifacts[0]!.createdAt).toEqual(new Date("2025-03-02T10:00:00Z"));
    expect(await base.loadArtifact("features")).toEqual([1, 2, 3]);

    const [young] = base.tests;
    expect(base.tests).toHaveLength(1);
    expect(young!.name).toBe("Young customers");
    expect(young!.description).toBe("age < 30");
    expect(young!.metrics).toEqual({ accuracy: 0.7 });
    expect(young!.parameters).toEqual({});
    expect(young!.path).toBe("baseline-model-20250302100000/young-customers");
    expect(await young!.loadArtifact("confusion")).toEqual([[5, 1], [2, 9]]);

    const tuned = p.get("tuned-model-20250303111500");
    expect(tuned.metrics.accuracy).toBe(0.88);
    expect(Number.isNaN(tuned.metrics.loss)).toBe(true);
    expect(tuned.tags).toEqual(["tuned", "candidate"]);
    expect(await tuned.loadArtifact("features")).toEqual([1, 2, 3, 4]);

    // The dependency resolves to the experiment in upstream.json.
    const dep = base.dependencies["feature-build"]!;
    expect(Object.keys(base.dependencies)).toEqual(["feature-build"]);
    expect(dep.slug).toBe("feature-build-20250301093000");
    expect(dep.metrics.rows).toBe(1000);
    expect(dep.author).toBe("carol");
    expect(dep.readOnly).toBe(true);
    expect(base.dependencyRefs).toEqual(["upstream.json|feature-build-20250301093000"]);
    expect(tuned.dependencies).toEqual({});
  });

  it("mode w loads nothing and its save replaces the file with only the new experiments", async () => {
    const dir = await fixtureCopy();
    const p = await open(dir, "w", fakeClock("2025-03-05T12:00:00").now);
    expect(p.experiments).toEqual([]);
    await p.log("Fresh", (e) => e.logMetric("m", 1));
    await p.save();
    const again = await open(dir, "r");
    expect(again.experiments.map((e) => e.slug)).toEqual(["fresh-20250305120000"]);
  });

  it("mode r and a: existing experiments and their tests are read-only", async () => {
    const dir = await fixtureCopy();
    for (const mode of ["r", "a"] as const) {
      const p = await open(dir, mode);
      const e = p.get("baseline-model");
      const t = e.tests[0]!;
      expect(() => e.logMetric("x", 1)).toThrow(code("READ_ONLY"));
      expect(() => e.logParameter("x", 1)).toThrow(code("READ_ONLY"));
      expect(() => e.tag("x")).toThrow(code("READ_ONLY"));
      expect(() => e.logArtifact("x", 1, { handler: "json" })).toThrow(code("READ_ONLY"));
      await expect(e.logTest("x", () => undefined)).rejects.toThrow(code("READ_ONLY"));
      expect(() => e.addDependency(e)).toThrow(code("READ_ONLY"));
      expect(() => t.logMetric("x", 1)).toThrow(code("READ_ONLY"));
      expect(() => t.logParameter("x", 1)).toThrow(code("READ_ONLY"));
      expect(() => t.logArtifact("x", 1, { handler: "json" })).toThrow(code("READ_ONLY"));
      expect(Object.isFrozen(e.metrics)).toBe(true);
    }
  });

  it("saving in w+ rewrites project.json byte for byte when nothing but the edit-stamps changed", async () => {
    const dir = await fixtureCopy();
    const original = await readText(join(dir, "project.json"));
    // The in-memory model serializes back to exactly the original bytes (NaN token, key order, indent, no final newline).
    const clock = fakeClock("2025-03-02T10:00:00");
    const p = await open(dir, "w+", clock.now, "alice");
    expect(serializeProjectFile(p.toJSON())).toBe(original);

    // Nothing changed: save() does not touch the file.
    const before = await stat(join(dir, "project.json"));
    await p.save();
    expect((await stat(join(dir, "project.json"))).mtimeMs).toBe(before.mtimeMs);

    // An edit that sets the same value at the same time by the same author rewrites identical bytes.
    p.get("baseline-model").logMetric("accuracy", 0.81);
    clock.set("2025-03-03T11:15:00");
    p.get("tuned-model").logMetric("accuracy", 0.88);
    await p.save();
    const rewritten = await readText(join(dir, "project.json"));
    expect(rewritten).toBe(original);
    expect(rewritten).toContain('"loss": NaN');
    expect(rewritten).not.toContain('"loss": null');
  });

  it("an edit in w+ changes only last_updated / last_updated_by and the edited value", async () => {
    const dir = await fixtureCopy();
    const original = await readText(join(dir, "project.json"));
    const p = await open(dir, "w+", fakeClock("2025-03-05T12:00:00").now, "bob");
    p.get("tuned-model").logMetric("f1", 0.5);
    await p.save();
    const rewritten = await readText(join(dir, "project.json"));
    const expected = original
      .replace('"last_updated": "2025-03-03T11:15:00",\n        "last_updated_by": "alice"', '"last_updated": "2025-03-05T12:00:00",\n        "last_updated_by": "bob"')
      .replace('"accuracy": 0.88,\n            "loss": NaN', '"accuracy": 0.88,\n            "f1": 0.5,\n            "loss": NaN');
    expect(rewritten).toBe(expected);
    // The untouched experiment keeps its bytes, its dependency reference and its artifact entries (no sha256 added).
    expect(rewritten).toContain('"upstream.json|feature-build-20250301093000"');
    expect(rewritten).not.toContain("sha256");
  });

  it("a project written by this product has the fixture's layout and keys", async () => {
    const dir = await tempDir();
    const clock = fakeClock("2025-03-02T10:00:00");
    const up = await Project.open(join(dir, "upstream.json"), { mode: "w", author: "carol", now: fakeClock("2025-03-01T09:30:00").now, registry: new ProjectRegistry() });
    await up.log("Feature build", (e) => e.logMetric("rows", 1000));
    await up.save();
    expect(await readText(join(dir, "upstream.json"))).toBe(await readText(join(FIXTURE_DIR, "upstream.json")));

    const upstream = await Project.open(join(dir, "upstream.json"), { mode: "r", registry: new ProjectRegistry() });
    const p = await Project.open(join(dir, "project.json"), { mode: "w", author: "alice", now: clock.now, registry: new ProjectRegistry() });
    await p.log("Baseline model", async (exp) => {
      exp.logMetric("accuracy", 0.81);
      exp.logParameter("depth", 3);
      exp.logParameter("features", ["a", "b"]);
      exp.tag("baseline");
      exp.logArtifact("features", [1, 2, 3], { handler: "json" });
      exp.addDependency(upstream.get("feature-build"));
      await exp.logTest("Young customers", (t) => {
        t.logMetric("accuracy", 0.7);
        t.logArtifact("confusion", [[5, 1], [2, 9]], { handler: "json" });
      }, { description: "age < 30" });
    });
    clock.set("2025-03-03T11:15:00");
    await p.log("Tuned model", (exp) => {
      exp.logMetric("accuracy", 0.88);
      exp.logMetric("loss", NaN);
      exp.tag("tuned", "candidate");
      exp.logArtifact("features", [1, 2, 3, 4], { handler: "json", indent: 4 });
    });
    await p.save();

    const ours = JSON.parse((await readText(join(dir, "project.json"))).replace("NaN", "null")) as Array<Record<string, unknown>>;
    const theirs = JSON.parse((await readText(join(FIXTURE_DIR, "project.json"))).replace("NaN", "null")) as Array<Record<string, unknown>>;
    // Same entries except this product's sha256 / size on artifact entries.
    const strip = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === "sha256" || k === "size" ? undefined : x)));
    expect(strip(ours)).toEqual(theirs);
    // Same key order and indentation, line for line, apart from the sha256 / size lines.
    const lines = (await readText(join(dir, "project.json"))).split("\n").filter((l) => !/"(sha256|size)"/.test(l));
    const fixtureLines = (await readText(join(FIXTURE_DIR, "project.json"))).split("\n");
    expect(lines.map((l) => l.replace(/,$/, ""))).toEqual(fixtureLines.map((l) => l.replace(/,$/, "")));
    // Same files, same bytes.
    for (const f of [
      "baseline-model-20250302100000/features-20250302100000.json",
      "baseline-model-20250302100000/young-customers/confusion-20250302100000.json",
      "tuned-model-20250303111500/features-20250303111500.json",
    ]) {
      expect(await readFile(join(dir, f), "utf8")).toBe(await readFile(join(FIXTURE_DIR, f), "utf8"));
    }
    expect((await readdir(dir)).sort()).toEqual((await readdir(FIXTURE_DIR)).sort());
  });
});

const FIXTURE_DIR = join(__dirname, "../../../fixtures/lazyscribe-2.2.1/project");
