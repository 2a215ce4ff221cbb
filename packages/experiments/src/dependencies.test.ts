import { mkdir, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { MemoryStorage, isLazyscribeError } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { DependencyError } from "./errors.js";
import { Project } from "./Project.js";
import { ProjectRegistry, registry as globalRegistry } from "./ProjectRegistry.js";
import { SpyStorage, code, fakeClock, fixtureCopy, openMem, tempDir } from "./test-support/helpers.js";

const entry = (name: string, created: string, deps: string[] = []) => ({
  artifacts: [], author: "x", created_at: created, dependencies: deps, last_updated: created, last_updated_by: "x",
  metrics: {}, name, parameters: {}, short_slug: name, slug: `${name}-${created.replace(/[-:T]/g, "")}`, tags: [], tests: [],
});
const write = (storage: MemoryStorage | SpyStorage, key: string, entries: unknown[]) => storage.write(key, JSON.stringify(entries));

describe("dependency resolution", () => {
  it("resolves through the registry first (any backend)", async () => {
    const upStorage = new MemoryStorage();
    await write(upStorage, "features.json", [entry("build", "2025-03-01T09:30:00")]);
    const storage = new MemoryStorage();
    await write(storage, "project.json", [entry("model", "2025-03-02T10:00:00", ["features|build-20250301093000"])]);
    // A file of that name beside the project is ignored: the registry wins.
    await write(storage, "features", [entry("build", "2025-03-01T09:30:00")]);
    const registry = new ProjectRegistry();
    const upstream = await Project.open("features.json", { storage: upStorage, mode: "r", registry });
    registry.addProject("features", upstream);
    const p = await openMem(storage, { mode: "r", registry });
    expect(p.get("model").dependencies.build).toBe(upstream.get("build"));
  });

  it("uses the module-level registry by default", async () => {
    const upstream = await openMem(new MemoryStorage(), { mode: "w" });
    await upstream.log("build", () => undefined);
    globalRegistry.addProject("global-up", upstream);
    try {
      const storage = new MemoryStorage();
      await write(storage, "project.json", [entry("m", "2025-03-02T10:00:00", ["global-up|build"])]);
      const p = await Project.open("project.json", { storage, mode: "r" });
      expect(p.get("m").dependencies.build).toBe(upstream.get("build"));
    } finally {
      expect(globalRegistry.removeProject("global-up")).toBe(true);
    }
  });

  it("resolves locations relative to the referencing project's folder in the same backend", async () => {
    const storage = new SpyStorage();
    await write(storage, "shared/upstream.json", [entry("build", "2025-03-01T09:30:00")]);
    await write(storage, "team/project.json", [
      entry("a", "2025-03-02T10:00:00", ["../shared/upstream.json|build-20250301093000"]),
      entry("b", "2025-03-02T11:00:00", ["../shared/upstream.json|build"]),
    ]);
    const p = await openMem(storage as never, { mode: "a" }, "team/project.json");
    const [a, b] = [p.get("a").dependencies.build!, p.get("b").dependencies.build!];
    expect(a.slug).toBe("build-20250301093000");
    expect(a).toBe(b); // the upstream project was opened once
    expect(a.readOnly).toBe(true);
    expect(a.projectLocation).toBe("shared/upstream.json");
    // Loading writes nothing.
    expect(storage.writes.map((w) => w.key)).toEqual(["shared/upstream.json", "team/project.json"]);
  });

  it("opens each upstream project file once per load", async () => {
    const storage = new SpyStorage();
    await write(storage, "upstream.json", [entry("u1", "2025-03-01T00:00:00"), entry("u2", "2025-03-01T01:00:00")]);
    await write(storage, "project.json", [
      entry("a", "2025-03-02T00:00:00", ["upstream.json|u1", "upstream.json|u2"]),
      entry("b", "2025-03-02T01:00:00", ["upstream.json|u1"]),
    ]);
    let reads = 0;
    const inner = storage.read.bind(storage);
    storage.read = (key: string) => {
      if (key === "upstream.json") reads++;
      return inner(key);
    };
    const p = await openMem(storage as never, { mode: "r" });
    expect(reads).toBe(1);
    expect(Object.keys(p.get("a").dependencies)).toEqual(["u1", "u2"]);
    expect(p.get("b").dependencies.u1).toBe(p.get("a").dependencies.u1);
  });

  it("resolves local paths relative to the project folder, then the working directory", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "sub"));
    const clock = fakeClock("2025-03-01T09:30:00");
    const up = await Project.open(join(dir, "upstream.json"), { mode: "w", author: "carol", now: clock.now, registry: new ProjectRegistry() });
    await up.log("Feature build", (e) => e.logMetric("rows", 1000));
    await up.save();
    // "../upstream.json" leaves the sub folder's backend: resolved as a path next to the project file.
    const fromCwd = relative(process.cwd(), join(dir, "upstream.json"));
    const writer = await Project.open(join(dir, "sub", "project.json"), { mode: "w", author: "a", now: clock.now, registry: new ProjectRegistry() });
    await writer.log("m", () => undefined);
    await writer.save();
    const text = JSON.stringify([
      entry("rel", "2025-03-02T10:00:00", ["../upstream.json|feature-build-20250301093000"]),
      entry("cwd", "2025-03-02T10:00:00", [`${fromCwd}|feature-build`]),
      entry("abs", "2025-03-02T10:00:00", [`${join(dir, "upstream.json")}|feature-build`]),
    ]);
    await writer.storage.write("project.json", text);
    const p = await Project.open(join(dir, "sub", "project.json"), { mode: "r", registry: new ProjectRegistry() });
    for (const name of ["rel", "cwd", "abs"]) expect(p.get(name).dependencies["feature-build"]!.metrics.rows).toBe(1000);
    expect(p.get("rel").dependencies["feature-build"]).toBe(p.get("abs").dependencies["feature-build"]);
  });

  it("an unresolvable dependency is a DependencyError naming it", async () => {
    const dir = await fixtureCopy();
    await rm(join(dir, "upstream.json"));
    const err = await Project.open(join(dir, "project.json"), { mode: "r", registry: new ProjectRegistry() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    expect(isLazyscribeError(err, "DEPENDENCY_UNRESOLVED")).toBe(true);
    expect((err as DependencyError).reference).toBe("upstream.json|feature-build-20250301093000");
    expect((err as Error).message).toMatch(/dependency "upstream\.json\|feature-build-20250301093000" of experiment "baseline-model-20250302100000"/);
    expect((err as Error).message).toMatch(/no project is registered as "upstream\.json"/);

    const storage = new MemoryStorage();
    await write(storage, "upstream.json", [entry("u", "2025-03-01T00:00:00")]);
    await write(storage, "project.json", [entry("a", "2025-03-02T00:00:00", ["upstream.json|missing"])]);
    await expect(openMem(storage, { mode: "r" })).rejects.toThrow(/upstream\.json has no experiment with slug "missing"/);
    await storage.write("broken.json", "not json");
    await write(storage, "project.json", [entry("a", "2025-03-02T00:00:00", ["broken.json|x"])]);
    await expect(openMem(storage, { mode: "r" })).rejects.toThrow(code("DEPENDENCY_UNRESOLVED"));
  });

  it("handles self, circular and transitive references", async () => {
    const storage = new MemoryStorage();
    await write(storage, "a.json", [entry("a1", "2025-03-01T00:00:00", ["b.json|b1"]), entry("a2", "2025-03-01T01:00:00", ["a.json|a1"])]);
    await write(storage, "b.json", [entry("b1", "2025-03-01T00:00:00", ["c.json|c1"]), entry("b2", "2025-03-01T01:00:00", ["a.json|a2"])]);
    await write(storage, "c.json", [entry("c1", "2025-03-01T00:00:00")]);
    const p = await openMem(storage, { mode: "r" }, "a.json");
    const a1 = p.get("a1");
    const b1 = a1.dependencies.b1!;
    expect(b1.dependencies.c1!.slug).toBe("c1-20250301000000");
    expect(p.get("a2").dependencies.a1).toBe(a1);
  });
});

describe("addDependency", () => {
  it("mirrors Python's '<project>|<slug>' and round-trips", async () => {
    const storage = new MemoryStorage();
    const registry = new ProjectRegistry();
    const up = await openMem(storage, { mode: "w", registry, now: fakeClock("2025-03-01T09:30:00").now }, "upstream.json");
    await up.log("Feature build", (e) => e.logMetric("rows", 1000));
    await up.save();
    const upstream = await openMem(storage, { mode: "r", registry }, "upstream.json");
    const remote = await openMem(new MemoryStorage(), { mode: "w", registry }, "remote.json");
    await remote.log("Remote", () => undefined);
    registry.addProject("remote", remote);

    const p = await openMem(storage, { mode: "w", registry }, "team/project.json");
    const exp = await p.log("Model", (e) => {
      expect(e.addDependency(upstream.get("feature-build"))).toBe("../upstream.json|feature-build-20250301093000");
      expect(e.addDependency(remote.get("remote"))).toBe("remote|remote-20250302100000");
      expect(e.addDependency(remote.get("remote"), { project: "elsewhere" })).toBe("elsewhere|remote-20250302100000");
      expect(e.addDependency(remote.get("remote"))).toBe("remote|remote-20250302100000"); // replaces by short slug
      expect(() => e.addDependency(upstream.get("feature-build"), { project: "a|b" })).toThrow(/must not contain/);
    });
    expect(exp.dependencyRefs).toEqual(["../upstream.json|feature-build-20250301093000", "remote|remote-20250302100000"]);
    expect(Object.keys(exp.dependencies)).toEqual(["feature-build", "remote"]);
    await p.save();

    const again = await openMem(storage, { mode: "r", registry }, "team/project.json");
    const deps = again.get("model").dependencies;
    expect(deps["feature-build"]!.metrics.rows).toBe(1000);
    expect(deps.remote).toBe(remote.get("remote"));
    registry.clear();
    expect(registry.hasProject("remote")).toBe(false);
    await expect(openMem(storage, { mode: "r", registry }, "team/project.json")).rejects.toThrow(DependencyError);
  });

  it("dependencies is a frozen view: assigning throws, addDependency adds", async () => {
    const storage = new MemoryStorage();
    const registry = new ProjectRegistry();
    const up = await openMem(storage, { mode: "w", registry, now: fakeClock("2025-03-01T09:30:00").now }, "upstream.json");
    const build = await up.log("Build", () => undefined);
    const p = await openMem(storage, { mode: "w", registry }, "project.json");
    const exp = await p.log("Model", () => undefined);
    const view = exp.dependencies as Record<string, unknown>;
    expect(Object.isFrozen(view)).toBe(true);
    expect(() => { view.build = build; }).toThrow();
    expect(() => Object.defineProperty(view, "build", { value: build })).toThrow();
    expect(() => { delete view.build; }).toThrow();
    expect(exp.dependencyRefs).toEqual([]);
    exp.addDependency(build);
    expect(exp.dependencies.build).toBe(build);
    expect(() => { (exp.dependencies as Record<string, unknown>).build = undefined; }).toThrow(/addDependency/);
    expect(exp.dependencies.build).toBe(build);
  });

  it("uses the path between local project files", async () => {
    const dir = await fixtureCopy();
    const upstream = await Project.open(join(dir, "upstream.json"), { mode: "r", registry: new ProjectRegistry() });
    const p = await Project.open(join(dir, "project.json"), { mode: "a", author: "bob", registry: new ProjectRegistry() });
    const exp = await p.log("New", (e) => void e.addDependency(upstream.get("feature-build")));
    expect(exp.dependencyRefs).toEqual(["upstream.json|feature-build-20250301093000"]);
  });
});

describe("ProjectRegistry", () => {
  it("adds, gets, checks, names, removes and clears", async () => {
    const r = new ProjectRegistry();
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    r.addProject("p", p);
    expect(r.getProject("p")).toBe(p);
    expect(r.hasProject("p")).toBe(true);
    expect(r.getProject("q")).toBeUndefined();
    expect(r.names()).toEqual(["p"]);
    expect(r.nameOf(p)).toBe("p");
    expect(r.nameOf({ storage: p.storage, key: p.key })).toBe("p");
    expect(() => r.addProject("a|b", p)).toThrow(/without "\|"/);
    expect(() => r.addProject("x", {} as Project)).toThrow(/open Project/);
    expect(r.removeProject("p")).toBe(true);
    expect(r.removeProject("p")).toBe(false);
    r.addProject("p", p);
    r.clear();
    expect(r.names()).toEqual([]);
  });
});
