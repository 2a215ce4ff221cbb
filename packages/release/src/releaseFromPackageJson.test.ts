import { writeFile } from "node:fs/promises";
import path from "node:path";
import { MemoryStorage, Repository } from "@lazyscribe/core/internal";
import { describe, expect, it, vi } from "vitest";
import { load, releaseFromPackageJson, releaseFromToml } from "./index.js";
import { parsePackageJsonReleaseConfig } from "./releaseFromPackageJson.js";
import { listTree } from "./test/fixtures.js";
import { memoryRepository } from "./test/memoryRepo.js";
import { guideProject } from "./test/projectLayout.js";

const now = new Date("2025-03-05T10:20:30Z");
const pkg = (extra: Record<string, unknown> = {}, lazyscribe: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      name: "my-models",
      version: "1.0.0",
      ...extra,
      lazyscribe: { repositories: ["src/model-1/repository.json", "src/model-2/repository.json"], ...lazyscribe },
    },
    null,
    2,
  );

describe("releaseFromPackageJson", () => {
  it("tags v{version} and writes releases.json beside each repository", async () => {
    const root = await guideProject();
    const results = await releaseFromPackageJson(pkg(), { cwd: root, now });
    expect(results.map((r) => [r.tag, r.created])).toEqual([["v1.0.0", true], ["v1.0.0", true]]);
    expect((await load(path.join(root, "src/model-1/releases.json")))[0]!.artifacts).toEqual([["features", 1]]);
    expect((await load(path.join(root, "src/model-2/releases.json")))[0]!.artifacts).toEqual([["config", 0]]);
  });

  it("format, fallback version, skipping an existing tag", async () => {
    const root = await guideProject();
    const text = pkg({ version: undefined }, { version: "0.9.0", format: "{version}-{year}" });
    expect((await releaseFromPackageJson(text, { cwd: root, now })).map((r) => r.tag)).toEqual(["0.9.0-2025", "0.9.0-2025"]);
    const onWarning = vi.fn();
    const again = await releaseFromPackageJson(text, { cwd: root, now, onWarning });
    expect(again.map((r) => r.created)).toEqual([false, false]);
    expect(onWarning).toHaveBeenCalledTimes(2);
    expect(await load(path.join(root, "src/model-1/releases.json"))).toHaveLength(1);
  });

  it("a pyproject.toml and a package.json with the same version share the tag", async () => {
    const root = await guideProject();
    await releaseFromPackageJson(pkg(), { cwd: root, now });
    const toml = '[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nrepositories = ["src/model-1/repository.json"]\n';
    expect((await releaseFromToml(toml, { cwd: root, now, onWarning: () => undefined }))[0]!.created).toBe(false);
  });

  const broken: Array<[string, string, RegExp, string]> = [
    ["no lazyscribe key", JSON.stringify({ version: "1.0.0" }), /missing the "lazyscribe" object/, "MANIFEST_INVALID"],
    ["lazyscribe not an object", JSON.stringify({ version: "1.0.0", lazyscribe: ["a"] }), /"lazyscribe" must be an object/, "MANIFEST_INVALID"],
    ["no version", pkg({ version: undefined }), /no version: set version or lazyscribe\.version/, "MANIFEST_INVALID"],
    ["version not a string", pkg({ version: 1 }), /package\.json at version: the version must be a string/, "MANIFEST_INVALID"],
    ["repositories missing", JSON.stringify({ version: "1.0.0", lazyscribe: {} }), /lazyscribe\.repositories: repositories is missing/, "MANIFEST_INVALID"],
    ["repositories not strings", pkg({}, { repositories: [{ path: "x" }] }), /lazyscribe\.repositories\[0\]/, "MANIFEST_INVALID"],
    ["format not a string", pkg({}, { format: 3 }), /lazyscribe\.format: format must be a string/, "MANIFEST_INVALID"],
    ["invalid JSON", '{\n  "version": "1.0.0",\n  "lazyscribe": {,\n}', /package\.json: not valid JSON .*line 3 column/, "MANIFEST_INVALID"],
    ["not an object", "[1, 2]", /package\.json: expected a JSON object/, "MANIFEST_INVALID"],
    ["missing repository", pkg({}, { repositories: ["src/model-1/repository.json", "nope/repository.json"] }), /"nope\/repository\.json" listed in package\.json does not exist/, "STORAGE_NOT_FOUND"],
  ];

  it.each(broken)("%s → clear error, nothing written", async (_label, text, message, code) => {
    const root = await guideProject();
    const before = await listTree(root);
    await expect(releaseFromPackageJson(text, { cwd: root, now })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await listTree(root)).toEqual(before);
  });

  it("a listed path that is a folder, not a manifest, is refused without writing", async () => {
    const root = await guideProject();
    await writeFile(path.join(root, "stray.txt"), "x");
    const before = await listTree(root);
    await expect(releaseFromPackageJson(pkg({}, { repositories: ["src"] }), { cwd: root, now })).rejects.toBeTruthy();
    expect(await listTree(root)).toEqual(before);
  });

  it("parses the config alone (BOM tolerated)", () => {
    expect(parsePackageJsonReleaseConfig("\uFEFF" + pkg())).toEqual({
      file: "package.json",
      version: "1.0.0",
      format: "v{version}",
      repositories: ["src/model-1/repository.json", "src/model-2/repository.json"],
    });
  });
});

describe("releases in other storage", () => {
  it("memory:// cwd", async () => {
    // Build the repository inside the process-wide memory:// store through its location.
    const repo = await Repository.open("memory://pkg-test/models/repository.json", { mode: "w", now: () => new Date("2025-01-01T00:00:00Z") });
    repo.logArtifact("a", [1], { handler: "json" });
    await repo.save();
    const results = await releaseFromPackageJson(JSON.stringify({ version: "2.0.0", lazyscribe: { repositories: ["models/repository.json"] } }), {
      cwd: "memory://pkg-test",
      now,
    });
    expect(results[0]).toMatchObject({ releasesFile: "memory://pkg-test/models/releases.json", tag: "v2.0.0", created: true });
    expect((await load("memory://pkg-test/models/releases.json"))[0]!.artifacts).toEqual([["a", 0]]);
  });

  it("an explicit storage with a key prefix as cwd", async () => {
    const storage = await memoryRepository([{ name: "b", value: 1, at: "2025-01-01T00:00:00" }], new MemoryStorage(), "proj/models/repository.json");
    const results = await releaseFromPackageJson(JSON.stringify({ version: "1.0.0", lazyscribe: { repositories: ["models/repository.json"] } }), {
      cwd: "proj",
      storage,
      now,
    });
    expect(results[0]!.releasesFile).toBe("proj/models/releases.json");
    expect((await load("proj/models/releases.json", { storage }))[0]!.artifacts).toEqual([["b", 0]]);
    expect((await storage.list("")).sort()).toEqual([
      "proj/models/b/b-20250101000000.json",
      "proj/models/releases.json",
      "proj/models/repository.json",
    ]);
  });
});
