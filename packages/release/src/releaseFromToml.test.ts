import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Repository } from "@lazyscribe/core/internal";
import { describe, expect, it, vi } from "vitest";
import { dumps, findRelease, load, releaseFromToml } from "./index.js";
import { listTree } from "./test/fixtures.js";
import { GUIDE_PYPROJECT, guideProject } from "./test/projectLayout.js";

const now = new Date("2025-03-05T10:20:30Z");

describe("releaseFromToml", () => {
  it("the guide's layout: v1.0.0 in a new releases.json beside each repository", async () => {
    const root = await guideProject();
    const results = await releaseFromToml(GUIDE_PYPROJECT, { cwd: root, now });
    expect(results.map(({ repository, releasesFile, tag, created }) => ({ repository, releasesFile, tag, created }))).toEqual([
      {
        repository: `${root}/src/model-1/repository.json`,
        releasesFile: `${root}/src/model-1/releases.json`,
        tag: "v1.0.0",
        created: true,
      },
      {
        repository: `${root}/src/model-2/repository.json`,
        releasesFile: `${root}/src/model-2/releases.json`,
        tag: "v1.0.0",
        created: true,
      },
    ]);
    expect(await listTree(root)).toEqual([
      "src/model-1/features/features-20250101000000.json",
      "src/model-1/features/features-20250102000000.json",
      "src/model-1/releases.json",
      "src/model-1/repository.json",
      "src/model-2/config/config-20250103000000.json",
      "src/model-2/releases.json",
      "src/model-2/repository.json",
    ]);
    const m1 = await load(path.join(root, "src/model-1/releases.json"));
    expect(m1).toHaveLength(1);
    expect(m1[0]!.toJSON()).toEqual({ tag: "v1.0.0", artifacts: [["features", 1]], created_at: "2025-03-05T10:20:30" });
    expect(await readFile(path.join(root, "src/model-1/releases.json"), "utf8")).toBe(dumps(m1));
    const m2 = await load(path.join(root, "src/model-2/releases.json"));
    expect(m2[0]!.artifacts).toEqual([["config", 0]]);
    // The release pins what loads.
    const repo = await Repository.open(path.join(root, "src/model-1/repository.json"), { mode: "r" });
    expect(await repo.filter(findRelease(m1, "v1.0.0").artifacts).loadArtifact("features")).toEqual([0, 1, 2, 3]);
  });

  it("a relative cwd and ./ paths are resolved against the working directory", async () => {
    const root = await guideProject();
    const cwd = path.relative(process.cwd(), root);
    const toml = GUIDE_PYPROJECT.replace(/"src\//g, '"./src/');
    const results = await releaseFromToml(toml, { cwd, now });
    expect(results.every((r) => r.created)).toBe(true);
    expect(await load(path.join(root, "src/model-2/releases.json"))).toHaveLength(1);
  });

  it.each([
    ['format = "{version}"', "1.0.0"],
    ['format = "v{version}"', "v1.0.0"],
    ['format = "{year}.{month}.{day}"', "2025.03.05"],
    ['format = "model-{version}+{year}{month}{day}"', "model-1.0.0+20250305"],
  ])("tag format %s → %s", async (line, tag) => {
    const root = await guideProject();
    const toml = GUIDE_PYPROJECT.replace("[tool.lazyscribe]", `[tool.lazyscribe]\n${line}`);
    const results = await releaseFromToml(toml, { cwd: root, now });
    expect(results.map((r) => r.tag)).toEqual([tag, tag]);
    expect((await load(path.join(root, "src/model-1/releases.json")))[0]!.tag).toBe(tag);
  });

  it("version from [tool.lazyscribe] when [project] has none; [project].version wins otherwise", async () => {
    const root = await guideProject();
    const toml = `[project]\nname = "x"\ndynamic = ["version"]\n\n[tool.lazyscribe]\nversion = "2.0.0"\nrepositories = ["src/model-1/repository.json"]\n`;
    expect((await releaseFromToml(toml, { cwd: root, now }))[0]!.tag).toBe("v2.0.0");
    const both = `[project]\nversion = "3.0.0"\n[tool.lazyscribe]\nversion = "2.0.0"\nrepositories = ["src/model-1/repository.json"]\n`;
    expect((await releaseFromToml(both, { cwd: root, now }))[0]!.tag).toBe("v3.0.0");
  });

  it("an existing tag is skipped with a warning, never duplicated", async () => {
    const root = await guideProject();
    await releaseFromToml(GUIDE_PYPROJECT, { cwd: root, now });
    const before = await readFile(path.join(root, "src/model-1/releases.json"), "utf8");
    const onWarning = vi.fn();
    const results = await releaseFromToml(GUIDE_PYPROJECT, { cwd: root, now: new Date("2025-04-01T00:00:00Z"), onWarning });
    expect(results.map((r) => r.created)).toEqual([false, false]);
    expect(results[0]!.release.createdAt).toEqual(now); // the release already in the file
    expect(onWarning).toHaveBeenCalledTimes(2);
    expect(onWarning.mock.calls[0]![0]).toMatch(/Release "v1\.0\.0" already exists in .*model-1\/releases\.json/);
    expect(await readFile(path.join(root, "src/model-1/releases.json"), "utf8")).toBe(before);
  });

  it("warns through console.warn by default", async () => {
    const root = await guideProject();
    await releaseFromToml(GUIDE_PYPROJECT, { cwd: root, now, onWarning: () => undefined });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await releaseFromToml(GUIDE_PYPROJECT, { cwd: root, now });
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });

  it("a new version is appended after the existing releases", async () => {
    const root = await guideProject();
    await releaseFromToml(GUIDE_PYPROJECT, { cwd: root, now });
    const later = new Date("2025-04-01T00:00:00Z");
    const results = await releaseFromToml(GUIDE_PYPROJECT.replace('version = "1.0.0"', 'version = "1.1.0"'), { cwd: root, now: later });
    expect(results.map((r) => r.created)).toEqual([true, true]);
    const tags = (await load(path.join(root, "src/model-1/releases.json"))).map((r) => r.tag);
    expect(tags).toEqual(["v1.0.0", "v1.1.0"]);
  });

  const broken: Array<[string, string, RegExp, string]> = [
    ["no [tool.lazyscribe] table", '[project]\nversion = "1.0.0"\n', /missing the \[tool\.lazyscribe\] table/, "MANIFEST_INVALID"],
    ["[tool.lazyscribe] not a table", '[project]\nversion = "1.0.0"\n[tool]\nlazyscribe = 3\n', /must be a table/, "MANIFEST_INVALID"],
    ["no version", '[tool.lazyscribe]\nrepositories = ["src/model-1/repository.json"]\n', /no version: set project\.version or tool\.lazyscribe\.version/, "MANIFEST_INVALID"],
    ["version not a string", '[project]\nversion = 1\n[tool.lazyscribe]\nrepositories = ["src/model-1/repository.json"]\n', /project\.version: the version must be a string/, "MANIFEST_INVALID"],
    ["no repositories", '[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nformat = "v{version}"\n', /repositories is missing/, "MANIFEST_INVALID"],
    ["empty repositories", '[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nrepositories = []\n', /repositories is empty/, "MANIFEST_INVALID"],
    ["repositories not a list", '[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nrepositories = "src/model-1/repository.json"\n', /repositories must be a list/, "MANIFEST_INVALID"],
    ["repositories not strings", '[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nrepositories = ["src/model-1/repository.json", 2]\n', /tool\.lazyscribe\.repositories\[1\]: each repository must be a path string/, "MANIFEST_INVALID"],
    ["bad format", '[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nformat = "v{major}"\nrepositories = ["src/model-1/repository.json"]\n', /unknown placeholder \{major\}/, "MANIFEST_INVALID"],
    ["bad TOML", '[project]\nversion = "1.0.0\n[tool.lazyscribe]\n', /pyproject\.toml: not valid TOML \(.* at line 2 column \d+\)/, "MANIFEST_INVALID"],
    ["missing repository (listed after a good one)", '[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nrepositories = ["src/model-1/repository.json", "src/model-3/repository.json"]\n', /repository "src\/model-3\/repository\.json" listed in pyproject\.toml does not exist/, "STORAGE_NOT_FOUND"],
  ];

  it.each(broken)("%s → clear error, nothing written", async (_label, toml, message, code) => {
    const root = await guideProject();
    const before = await listTree(root);
    await expect(releaseFromToml(toml, { cwd: root, now })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await listTree(root)).toEqual(before);
  });

  it("an invalid existing releases.json of the second repository → ManifestError, the first gets nothing", async () => {
    const root = await guideProject();
    await writeFile(path.join(root, "src/model-2/releases.json"), '[{"tag": "v0"}]');
    const before = await listTree(root);
    await expect(releaseFromToml(GUIDE_PYPROJECT, { cwd: root, now })).rejects.toMatchObject({
      code: "MANIFEST_INVALID",
      message: expect.stringMatching(/model-2\/releases\.json at \[0\]\.artifacts/),
    });
    expect(await listTree(root)).toEqual(before);
  });

  it("an invalid repository manifest → ManifestError, nothing written", async () => {
    const root = await guideProject();
    await writeFile(path.join(root, "src/model-2/repository.json"), "[{");
    const before = await listTree(root);
    await expect(releaseFromToml(GUIDE_PYPROJECT, { cwd: root, now })).rejects.toMatchObject({ code: "MANIFEST_INVALID" });
    expect(await listTree(root)).toEqual(before);
  });

  it("names the config file given in options", async () => {
    await expect(releaseFromToml("[project]\n", { file: "/proj/pyproject.toml" })).rejects.toThrow(/^\/proj\/pyproject\.toml at tool\.lazyscribe/);
    await expect(releaseFromToml(42 as never)).rejects.toThrow(/expected the text of pyproject\.toml/);
  });
});
