import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ArtifactLoadError, ArtifactLogError, IntegrityError, MemoryStorage, Repository } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { Project } from "./Project.js";
import { ProjectRegistry } from "./ProjectRegistry.js";
import { code, fakeClock, fixtureCopy, openMem, storageText, tempDir } from "./test-support/helpers.js";

const repoOn = (storage: MemoryStorage, now = fakeClock("2025-04-01T00:00:00").now) => Repository.open("repository.json", { storage, mode: "w+", now });

describe("Experiment.promoteArtifact", () => {
  it("an unsaved artifact is logged like repository.logArtifact; the caller saves", async () => {
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    const exp = await p.log("my-experiment", (e) => void e.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 }));
    const repoStorage = new MemoryStorage();
    const repo = await repoOn(repoStorage);
    const rec = await exp.promoteArtifact(repo, "features");
    expect(rec).toMatchObject({ name: "features", version: 0, handler: "json", fname: "features-20250302100000.json" });
    expect(rec.createdAt).toEqual(new Date("2025-03-02T10:00:00Z"));
    expect(repo.dirty).toBe(true);
    expect(await repoStorage.stat("repository.json")).toBeNull();
    await repo.save();
    expect(await storageText(repoStorage, "features/features-20250302100000.json")).toBe("[\n    0,\n    1,\n    2\n]");
    expect(await repo.loadArtifact("features")).toEqual([0, 1, 2]);
  });

  it("a saved artifact is copied into the repository, which is saved", async () => {
    const projectStorage = new MemoryStorage();
    const p = await openMem(projectStorage, { mode: "w" });
    await p.log("my-experiment", (e) => void e.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4, fname: "feats.json" }));
    await p.save();
    const r = await openMem(projectStorage, { mode: "r" });
    const repoStorage = new MemoryStorage();
    const repo = await repoOn(repoStorage);
    const rec = await r.get("my-experiment").promoteArtifact(repo, "features");
    expect(repo.dirty).toBe(false);
    expect(rec.fname).toBe("feats.json");
    const reopened = await Repository.open("repository.json", { storage: repoStorage, mode: "r" });
    expect(await reopened.loadArtifact("features")).toEqual([0, 1, 2]);
    const meta = reopened.getArtifactMetadata("features");
    expect(meta.createdAt).toEqual(new Date("2025-03-02T10:00:00Z"));
    expect(meta.sha256).toBe(r.get("my-experiment").artifacts[0]!.sha256);
    expect(await storageText(repoStorage, "features/feats.json")).toBe(await storageText(projectStorage, "my-experiment-20250302100000/feats.json"));
  });

  it("must be newer than the repository's latest version", async () => {
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    const exp = await p.log("x", (e) => void e.logArtifact("features", [1], { handler: "json" }));
    const repoStorage = new MemoryStorage();
    const repo = await repoOn(repoStorage);
    repo.logArtifact("features", [0], { handler: "json", createdAt: "2025-03-02T10:00:00" }); // same second: not newer
    await repo.save();
    await expect(exp.promoteArtifact(repo, "features")).rejects.toThrow(ArtifactLogError);
    await expect(exp.promoteArtifact(repo, "features")).rejects.toThrow(/not after the repository's latest version 0/);
    const older = await repoOn(new MemoryStorage());
    older.logArtifact("features", [0], { handler: "json", createdAt: "2025-03-02T09:59:59" });
    expect((await exp.promoteArtifact(older, "features")).version).toBe(1);
  });

  it("an unknown name is an ArtifactLoadError; a read-only repository refuses", async () => {
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    const exp = await p.log("x", (e) => void e.logArtifact("a", [1], { handler: "json" }));
    const repo = await repoOn(new MemoryStorage());
    await expect(exp.promoteArtifact(repo, "nope")).rejects.toThrow(ArtifactLoadError);
    const ro = await Repository.open("repository.json", { storage: new MemoryStorage(), mode: "r" });
    await expect(exp.promoteArtifact(ro, "a")).rejects.toThrow(code("READ_ONLY"));
  });

  it("copies across backends: project in memory, repository on the local filesystem", async () => {
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    await p.log("x", (e) => void e.logArtifact("features", [1, 2, 3], { handler: "json" }));
    await p.save();
    const dir = await tempDir();
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "w+" });
    await p.get("x").promoteArtifact(repo, "features");
    expect(await readFile(join(dir, "features", "features-20250302100000.json"), "utf8")).toBe("[1, 2, 3]");
    const r = await Repository.open(join(dir, "repository.json"), { mode: "r" });
    expect(await r.loadArtifact("features")).toEqual([1, 2, 3]);
  });

  it("walks the guide with the Python fixture: promote from a read-only project into a local repository", async () => {
    const dir = await fixtureCopy();
    const p = await Project.open(join(dir, "project.json"), { mode: "r", registry: new ProjectRegistry() });
    const repo = await Repository.open(join(dir, "repository.json"));
    await p.get("tuned-model").promoteArtifact(repo, "features");
    await expect(p.get("baseline-model").promoteArtifact(repo, "features")).rejects.toThrow(ArtifactLogError);
    const r = await Repository.open(join(dir, "repository.json"), { mode: "r" });
    expect(await r.loadArtifact("features")).toEqual([1, 2, 3, 4]);
    expect(r.getArtifactMetadata("features").fname).toBe("features-20250303111500.json");
    expect(await readFile(join(dir, "features", "features-20250303111500.json"), "utf8")).toBe(
      await readFile(join(dir, "tuned-model-20250303111500", "features-20250303111500.json"), "utf8"),
    );
  });

  it("removes the copied file when the repository save fails", async () => {
    const p = await openMem(new MemoryStorage(), { mode: "w" });
    await p.log("x", (e) => void e.logArtifact("features", [1, 2, 3], { handler: "json" }));
    await p.save();
    const dir = await tempDir();
    const seed = await Repository.open(join(dir, "repository.json"), { mode: "w", now: fakeClock("2025-01-01T00:00:00").now });
    seed.logArtifact("config", { a: 1 }, { handler: "json" });
    await seed.save();
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "w+" });
    // Another writer breaks the manifest: the save must fail and leave nothing behind.
    await writeFile(join(dir, "repository.json"), "[{ not json");
    await expect(p.get("x").promoteArtifact(repo, "features")).rejects.toThrow(code("MANIFEST_INVALID"));
    expect(existsSync(join(dir, "features", "features-20250302100000.json"))).toBe(false);
    expect(existsSync(join(dir, "features")) ? await readdir(join(dir, "features")) : []).toEqual([]);
    expect(await readFile(join(dir, "repository.json"), "utf8")).toBe("[{ not json");
  });

  it("promotes an artifact whose handler is not registered (Python pickle) as a file, keeping python_version", async () => {
    const storage = new MemoryStorage();
    const bytes = new Uint8Array([0x80, 0x04, 0x95, 0x00, 0xff]);
    await storage.write("model-20250302100000/estimator-20250302100000.pkl", bytes);
    await storage.write(
      "project.json",
      JSON.stringify([{
        name: "model", author: "py", created_at: "2025-03-02T10:00:00", slug: "model-20250302100000",
        artifacts: [{ created_at: "2025-03-02T10:00:00", expiry: null, fname: "estimator-20250302100000.pkl", handler: "pickle", name: "estimator", python_version: "3.12", version: 0 }],
      }]),
    );
    const p = await openMem(storage, { mode: "r" });
    const exp = p.get("model");
    await expect(exp.loadArtifact("estimator")).rejects.toThrow(code("UNKNOWN_HANDLER"));
    const repoStorage = new MemoryStorage();
    const repo = await repoOn(repoStorage);
    await exp.promoteArtifact(repo, "estimator");
    const meta = (await Repository.open("repository.json", { storage: repoStorage, mode: "r" })).getArtifactMetadata("estimator");
    expect(meta).toMatchObject({ handler: "pickle", fname: "estimator-20250302100000.pkl", extra: { python_version: "3.12" } });
    expect(await repoStorage.read("estimator/estimator-20250302100000.pkl")).toEqual(bytes);
  });

  it("refuses to copy a file that no longer matches its recorded hash", async () => {
    const projectStorage = new MemoryStorage();
    const p = await openMem(projectStorage, { mode: "w" });
    await p.log("x", (e) => void e.logArtifact("features", [1, 2, 3], { handler: "json" }));
    await p.save();
    await projectStorage.write("x-20250302100000/features-20250302100000.json", "[6, 6, 6]");
    const repoStorage = new MemoryStorage();
    const repo = await repoOn(repoStorage);
    await expect(p.get("x").promoteArtifact(repo, "features")).rejects.toThrow(IntegrityError);
    expect(await repoStorage.list("")).toEqual([]);
  });
});
