import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { MemoryStorage, Repository } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { findRelease, load, minimalRepositoryFromRelease, Release } from "./index.js";
import { copyFixtureRepository, FIXTURE_REPOSITORY, listTree, tempDir } from "./test/fixtures.js";
import { delegatingStorage } from "./test/delegatingStorage.js";

async function fixture() {
  const dir = await copyFixtureRepository();
  const repo = await Repository.open(path.join(dir, "repository.json"), { mode: "r" });
  const releases = await load(path.join(dir, "releases.json"));
  return { dir, repo, releases };
}

describe("minimalRepositoryFromRelease", () => {
  it("copies exactly the release's files (pickle too) and a manifest of only those entries", async () => {
    const { repo, releases } = await fixture();
    const release = findRelease(releases, "v0.2.0");
    const deploy = path.join(await tempDir(), "deploy");
    const result = await minimalRepositoryFromRelease(deploy + "/", repo, release);
    expect(result.manifest).toBe(`${deploy}/repository.json`);
    expect(await listTree(deploy)).toEqual([
      "config/config-20250203070000.json",
      "estimator/estimator-20250204000000.pkl",
      "features/features-20250201000000.json",
      "repository.json",
    ]);
    for (const f of ["estimator/estimator-20250204000000.pkl", "config/config-20250203070000.json"]) {
      expect(await readFile(path.join(deploy, f))).toEqual(await readFile(path.join(FIXTURE_REPOSITORY, f)));
    }
    const entries = JSON.parse(await readFile(path.join(deploy, "repository.json"), "utf8")) as Array<Record<string, unknown>>;
    expect(entries.map((e) => [e.name, e.version])).toEqual([["features", 2], ["config", 1], ["estimator", 0]]);
    const estimator = entries.find((e) => e.name === "estimator")!;
    expect(estimator).toMatchObject({ handler: "pickle", python_version: "3.11", fname: "estimator-20250204000000.pkl" });
    expect(estimator.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(estimator.size).toBe(44);
    expect(entries.find((e) => e.name === "features")).toMatchObject({ expiry: "2025-02-15T00:00:00" });

    const deployed = await Repository.open(path.join(deploy, "repository.json"), { mode: "r" });
    expect(deployed.names().sort()).toEqual(["config", "estimator", "features"]);
    expect(await deployed.loadArtifact("config")).toEqual({ lr: 0.05, layers: [16, 8] });
    expect(await deployed.loadArtifact("features", { version: 2 })).toEqual([9, 9]);
    expect(await deployed.verify()).toEqual([]);
    await expect(deployed.loadArtifact("estimator")).rejects.toMatchObject({ code: "UNKNOWN_HANDLER" });
  });

  it("v0.3.0: the files of the pinned versions only", async () => {
    const { repo, releases } = await fixture();
    const deploy = path.join(await tempDir(), "v3");
    await minimalRepositoryFromRelease(deploy, repo, findRelease(releases, "v0.3.0"));
    const deployed = await Repository.open(path.join(deploy, "repository.json"), { mode: "r" });
    expect(deployed.artifacts.map((r) => [r.name, r.version])).toEqual([["features", 1], ["config", 1], ["estimator", 0]]);
    expect(await deployed.loadArtifact("features")).toEqual([0, 1, 2, 3]);
  });

  it("works across backends (local source, memory target)", async () => {
    const { repo, releases } = await fixture();
    const storage = new MemoryStorage();
    const result = await minimalRepositoryFromRelease("deploy", repo, findRelease(releases, "v0.1.0"), { storage });
    expect(result.files).toEqual(["deploy/features/features-20250105083000.json", "deploy/config/config-20250110164510.json"]);
    expect((await storage.list("")).sort()).toEqual([
      "deploy/config/config-20250110164510.json",
      "deploy/features/features-20250105083000.json",
      "deploy/repository.json",
    ]);
    const deployed = await Repository.open("deploy/repository.json", { storage, mode: "r" });
    expect(await deployed.loadArtifact("features")).toEqual([0, 1, 2, 3]);
  });

  it("refuses to overwrite an existing manifest or file, writing nothing", async () => {
    const { repo, releases } = await fixture();
    const release = findRelease(releases, "v0.2.0");
    const deploy = path.join(await tempDir(), "deploy");
    await mkdir(path.join(deploy, "config"), { recursive: true });
    await writeFile(path.join(deploy, "config", "config-20250203070000.json"), "mine");
    await expect(minimalRepositoryFromRelease(deploy, repo, release)).rejects.toMatchObject({
      code: "SAVE_FAILED",
      message: expect.stringMatching(/refusing to overwrite .*config-20250203070000\.json.*never overwrites/),
    });
    expect(await listTree(deploy)).toEqual(["config/config-20250203070000.json"]);
    expect(await readFile(path.join(deploy, "config", "config-20250203070000.json"), "utf8")).toBe("mine");

    const second = path.join(await tempDir(), "second");
    await minimalRepositoryFromRelease(second, repo, release);
    const before = await listTree(second);
    await expect(minimalRepositoryFromRelease(second, repo, release)).rejects.toMatchObject({ code: "SAVE_FAILED" });
    expect(await listTree(second)).toEqual(before);
  });

  it("a version the repository does not have → VersionNotFoundError / ArtifactNotFoundError, nothing written", async () => {
    const { repo } = await fixture();
    const deploy = path.join(await tempDir(), "deploy");
    const missingVersion = new Release({ tag: "x", artifacts: [["features", 7]], createdAt: "2025-01-01T00:00:00" });
    await expect(minimalRepositoryFromRelease(deploy, repo, missingVersion)).rejects.toMatchObject({ code: "VERSION_NOT_FOUND" });
    const missingName = new Release({ tag: "x", artifacts: [["nope", 0]], createdAt: "2025-01-01T00:00:00" });
    await expect(minimalRepositoryFromRelease(deploy, repo, missingName)).rejects.toMatchObject({ code: "ARTIFACT_NOT_FOUND" });
    await expect(listTree(deploy)).rejects.toThrow(); // the folder was never created
  });

  it("removes what it wrote when copying fails midway", async () => {
    const { repo, releases } = await fixture();
    const inner = new MemoryStorage();
    let writes = 0;
    const failing = delegatingStorage(inner, {
      description: "memory://failing",
      async write(k, data, o) {
        if (++writes === 3) throw new Error("disk full");
        return inner.write(k, data, o);
      },
    });
    await expect(minimalRepositoryFromRelease("deploy", repo, findRelease(releases, "v0.2.0"), { storage: failing })).rejects.toMatchObject({
      code: "SAVE_FAILED",
      message: expect.stringMatching(/disk full/),
    });
    expect(await inner.list("")).toEqual([]);
  });

  it("a corrupted source file fails the copy (verified stream) and leaves nothing", async () => {
    const storage = new MemoryStorage();
    const src = await Repository.open("src/repository.json", { storage, mode: "w", now: () => new Date("2025-01-01T00:00:00Z") });
    src.logArtifact("a", [1, 2], { handler: "json" });
    await src.save();
    await storage.write("src/a/a-20250101000000.json", "[6, 6]");
    const repo = await Repository.open("src/repository.json", { storage, mode: "r" });
    const release = new Release({ tag: "v", artifacts: [["a", 0]], createdAt: "2025-01-02T00:00:00" });
    await expect(minimalRepositoryFromRelease("deploy", repo, release, { storage })).rejects.toMatchObject({ code: "INTEGRITY" });
    expect((await storage.list("deploy")).length).toBe(0);
  });

  it("needs a read-only repository: ReadOnlyError before anything is written", async () => {
    const { dir, releases } = await fixture();
    const release = findRelease(releases, "v0.2.0");
    for (const mode of ["w+", "a"] as const) {
      const writable = await Repository.open(path.join(dir, "repository.json"), { mode });
      const deploy = path.join(await tempDir(), "deploy");
      await expect(minimalRepositoryFromRelease(deploy, writable, release)).rejects.toMatchObject({ code: "READ_ONLY" });
      await expect(listTree(deploy)).rejects.toThrow(); // the folder was never created
    }
  });

  it("refuses a target inside the source repository's folder (its gc would delete the copy)", async () => {
    const { dir, repo, releases } = await fixture();
    const release = findRelease(releases, "v0.2.0");
    const before = await listTree(dir);
    for (const target of [path.join(dir, "deploy"), path.join(dir, "a", "b"), dir, dir + "/"]) {
      await expect(minimalRepositoryFromRelease(target, repo, release)).rejects.toMatchObject({
        code: "SAVE_FAILED",
        message: expect.stringMatching(/inside the source repository/),
      });
    }
    expect(await listTree(dir)).toEqual(before);
    // Same backend: compared by key.
    const storage = new MemoryStorage();
    const src = await Repository.open("src/repository.json", { storage, mode: "w", now: () => new Date("2025-01-01T00:00:00Z") });
    src.logArtifact("a", [1], { handler: "json" });
    await src.save();
    const ro = await Repository.open("src/repository.json", { storage, mode: "r" });
    const r = new Release({ tag: "v", artifacts: [["a", 0]], createdAt: "2025-01-02T00:00:00" });
    await expect(minimalRepositoryFromRelease("src/deploy", ro, r, { storage })).rejects.toMatchObject({ code: "SAVE_FAILED" });
    await minimalRepositoryFromRelease("srcdeploy", ro, r, { storage }); // a sibling whose name starts the same is fine
    expect(await storage.stat("srcdeploy/repository.json")).not.toBeNull();
  });

  it("rejects bad arguments", async () => {
    const { repo, releases } = await fixture();
    await expect(minimalRepositoryFromRelease("", repo, releases[0]!)).rejects.toThrow(/location must not be empty/);
    await expect(minimalRepositoryFromRelease("d", {} as never, releases[0]!)).rejects.toThrow(/expected a Repository/);
    await expect(minimalRepositoryFromRelease("d", repo, { tag: "x" } as never)).rejects.toThrow(/expected a Release/);
  });
});
