import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRelease, minimalRepositoryFromRelease, Project, ProjectRegistry, Repository } from "./index.js";

// fixtures/README.md: files as Python lazyscribe 2.2.1 writes them for fnames with subfolders.
const FIXTURE = join(__dirname, "../../../fixtures/crafted-2.2.1-subfolders");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lz-subfolders-"));
  cpSync(FIXTURE, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tree = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name).slice(root.length + 1))
    .sort();

describe("a repository Python wrote with subfolder file names", () => {
  it("loads, verifies, filters, keeps its files in gc, and logs more such files", async () => {
    const manifest = join(dir, "repository", "repository.json");
    const r = await Repository.open(manifest, { mode: "r", now: () => new Date("2025-02-01T00:00:00Z") });
    expect(await r.loadArtifact("my-dict")).toEqual({ a: 1 });
    expect(await r.loadArtifact("features")).toEqual([0, 1, 2, 3]);
    expect(await r.loadArtifact("features", { version: 0 })).toEqual([0, 1, 2]);
    expect(await r.verify()).toEqual([]);
    expect(await r.filter("2025-01-20T23:00:00").loadArtifact("features")).toEqual([0, 1, 2]);
    const w = await Repository.open(manifest, { mode: "w+", now: () => new Date("2025-02-01T00:00:00Z") });
    expect((await w.gc({ graceSeconds: 0, dryRun: true })).orphans).toEqual([]);
    w.logArtifact("my-dict", { a: 2 }, { handler: "json", fname: "mydir/subdir/deeper/my-dict.json" });
    await w.save();
    expect(readFileSync(join(dir, "repository", "my-dict", "mydir", "subdir", "deeper", "my-dict.json"), "utf8")).toBe('{"a": 2}');
    expect(await (await Repository.open(manifest, { mode: "r" })).loadArtifact("my-dict")).toEqual({ a: 2 });
    for (const bad of ["../x.json", "mydir/../../x.json", "/abs.json", "a//b.json", "a\\b.json"]) {
      expect(() => w.logArtifact("my-dict", 1, { handler: "json", fname: bad }), bad).toThrow(expect.objectContaining({ code: "INVALID_NAME" }));
    }
  });

  it("releases and minimal repositories carry the subfolders", async () => {
    const r = await Repository.open(join(dir, "repository", "repository.json"), { mode: "r", now: () => new Date("2025-02-01T00:00:00Z") });
    const release = createRelease(r, "v1");
    const deploy = join(dir, "deploy");
    await minimalRepositoryFromRelease(deploy, r, release);
    expect(tree(deploy)).toEqual(["features/v1/nested/features.json", "my-dict/mydir/subdir/my-dict.json", "repository.json"]);
    const deployed = await Repository.open(join(deploy, "repository.json"), { mode: "r" });
    expect(await deployed.loadArtifact("my-dict")).toEqual({ a: 1 });
    expect(await deployed.verify()).toEqual([]);
  });

  it("experiment and test artifacts in subfolders load, and promote into a repository", async () => {
    const registry = new ProjectRegistry();
    const p = await Project.open(join(dir, "project", "project.json"), { mode: "r", registry });
    const exp = p.get("my-experiment");
    expect(await exp.loadArtifact("features")).toEqual([0, 1, 2]);
    expect(await exp.tests[0]!.loadArtifact("confusion")).toEqual([[5, 1], [2, 9]]);
    const repo = await Repository.open(join(dir, "promoted", "repository.json"), { mode: "w+" });
    await exp.promoteArtifact(repo, "features");
    expect(tree(join(dir, "promoted"))).toEqual(["features/mydir/subdir/features.json", "repository.json"]);
    expect(await (await Repository.open(join(dir, "promoted", "repository.json"), { mode: "r" })).loadArtifact("features")).toEqual([0, 1, 2]);

    const w = await Project.open(join(dir, "project", "project.json"), { mode: "w+", registry, author: "me" });
    await w.log("New", async (e) => {
      e.logArtifact("plot", [1], { handler: "json", fname: "a/b/plot.json" });
      await e.logTest("T", (t) => void t.logArtifact("x", [2], { handler: "json", fname: "c/x.json" }));
    });
    await w.save();
    const again = await Project.open(join(dir, "project", "project.json"), { mode: "r", registry });
    const e = again.get("new");
    expect(await e.loadArtifact("plot")).toEqual([1]);
    expect(await e.tests[0]!.loadArtifact("x")).toEqual([2]);
    expect(tree(join(dir, "project", e.slug))).toEqual(["a/b/plot.json", "t/c/x.json"]);
  });
});
