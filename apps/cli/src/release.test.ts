/** `lazyscribe release ...` of the built CLI. */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, json, run, tempDir } from "./testing/cli.js";

let dir: string;
const cli = (args: string[], cwd = dir) => run(args, { cwd });

interface ReleaseDoc {
  tag: string;
  createdAt: string;
  artifacts: Array<{ name: string; version: number }>;
}

beforeEach(() => {
  dir = tempDir();
});
afterEach(() => cleanup(dir));

/** A repository in `<dir>/<sub>` with features v0, v1 and config v0. */
function makeRepo(sub = "."): string {
  const folder = path.join(dir, sub);
  mkdirSync(folder, { recursive: true });
  const manifest = path.join(folder, "repository.json");
  for (const [name, value] of [["features", "[0]"], ["features", "[0, 1]"], ["config", '{"a": 1}']] as const) {
    writeFileSync(path.join(dir, "in.json"), value);
    expect(cli(["log", name, "in.json", "--handler", "json", "--repo", manifest]).code).toBe(0);
  }
  return manifest;
}

describe("release create / ls / show", () => {
  it("creates a release of the latest versions, appended to releases.json beside the repository", () => {
    makeRepo();
    const r = cli(["release", "create", "v1.0.0"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`created release v1.0.0 in ${path.join(dir, "releases.json")}: config@0, features@1\n`);
    const onDisk = JSON.parse(readFileSync(path.join(dir, "releases.json"), "utf8")) as Array<Record<string, unknown>>;
    expect(onDisk).toHaveLength(1);
    expect(onDisk[0]).toMatchObject({ tag: "v1.0.0", artifacts: [["config", 0], ["features", 1]] });

    const j = json<ReleaseDoc & { releasesFile: string }>(cli(["release", "create", "v1.1.0", "--json"]));
    expect(j.tag).toBe("v1.1.0");
    expect(j.releasesFile).toBe(path.join(dir, "releases.json"));
    expect(j.artifacts).toEqual([{ name: "config", version: 0 }, { name: "features", version: 1 }]);
    expect(j.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("an existing tag is refused (exit 1) and not duplicated", () => {
    makeRepo();
    expect(cli(["release", "create", "v1"]).code).toBe(0);
    const again = cli(["release", "create", "v1"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^lazyscribe: release "v1" already exists in /);
    expect(JSON.parse(readFileSync(path.join(dir, "releases.json"), "utf8"))).toHaveLength(1);
  });

  it("ls: empty, then a table; --json", () => {
    makeRepo();
    expect(cli(["release", "ls"]).stdout).toBe(`no releases in ${path.join(dir, "releases.json")}\n`);
    expect(json(cli(["release", "ls", "--json"]))).toEqual({ releases: [] });
    cli(["release", "create", "v1"]);
    const r = cli(["release", "ls"]);
    expect(r.stdout).toMatch(/^TAG\s+CREATED\s+ARTIFACTS\nv1\s+\S+Z\s+config@0, features@1\n$/);
    expect(json<{ releases: ReleaseDoc[] }>(cli(["release", "ls", "--json"])).releases.map((x) => x.tag)).toEqual(["v1"]);
  });

  it("show by tag, the latest, or --at; unknown tag → 1; no releases → 1", () => {
    makeRepo();
    expect(cli(["release", "show", "v1"]).code).toBe(1);
    cli(["release", "create", "v1"]);
    const r = cli(["release", "show", "v1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^release v1 {2}created \S+Z$/m);
    expect(r.stdout).toMatch(/^features\s+1\s+\S+Z\s+json\s+features-\d{14}(-\d+)?\.json$/m);
    const j = json<{ tag: string; artifacts: Array<{ name: string; version: number; handler: string; missing: boolean }> }>(cli(["release", "show", "--json"]));
    expect(j.tag).toBe("v1");
    expect(j.artifacts.map((a) => [a.name, a.version, a.handler, a.missing])).toEqual([["config", 0, "json", false], ["features", 1, "json", false]]);
    expect(json(cli(["release", "show", "--at", "2999-01-01", "--json"])).tag).toBe("v1");
    const early = cli(["release", "show", "--at", "2000-01-01"]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/predates the earliest release/);
    const unknown = cli(["release", "show", "v9"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no release is tagged "v9"/);
  });

  it("missing repository → exit 1", () => {
    const r = cli(["release", "create", "v1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no repository at/);
    expect(cli(["release", "ls"]).code).toBe(1);
  });
});

describe("release sync", () => {
  it("auto-detects pyproject.toml and releases every listed repository", () => {
    const a = makeRepo("src/model-1");
    const b = makeRepo("src/model-2");
    writeFileSync(
      path.join(dir, "pyproject.toml"),
      '[project]\nname = "x"\nversion = "1.0.0"\n\n[tool.lazyscribe]\nrepositories = ["src/model-1/repository.json", "src/model-2/repository.json"]\n',
    );
    const r = cli(["release", "sync"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^src\/model-1\/repository\.json\s+v1\.0\.0\s+created$/m);
    for (const m of [a, b]) {
      const rel = JSON.parse(readFileSync(path.join(path.dirname(m), "releases.json"), "utf8")) as Array<{ tag: string }>;
      expect(rel.map((x) => x.tag)).toEqual(["v1.0.0"]);
    }
    const again = cli(["release", "sync", "--json"]);
    expect(again.code).toBe(0);
    const doc = json<{ tag: string; results: Array<{ created: boolean; repository: string }> }>(again);
    expect(doc.tag).toBe("v1.0.0");
    expect(doc.results.map((x) => x.created)).toEqual([false, false]);
    expect(again.stderr).toMatch(/^lazyscribe: warning: Release "v1\.0\.0" already exists/m);
  });

  it("uses package.json (auto-detected or --config) with a format", () => {
    const m = makeRepo("models");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "svc", version: "2.3.4", lazyscribe: { repositories: ["models/repository.json"], format: "release-{version}" } }));
    const r = cli(["release", "sync", "--json"]);
    expect(r.code).toBe(0);
    expect(json<{ tag: string }>(r).tag).toBe("release-2.3.4");
    expect(existsSync(path.join(path.dirname(m), "releases.json"))).toBe(true);
    const other = path.join(dir, "elsewhere");
    mkdirSync(other);
    const viaConfig = cli(["release", "sync", "--config", path.join(dir, "package.json")], other);
    expect(viaConfig.code).toBe(0);
    expect(viaConfig.stdout).toMatch(/already released/);
  });

  it("errors: no config → 1, missing table → 1, listed repository missing → 1 (nothing written)", () => {
    const none = cli(["release", "sync"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no pyproject\.toml or package\.json/);
    writeFileSync(path.join(dir, "pyproject.toml"), '[project]\nversion = "1.0.0"\n');
    const noTable = cli(["release", "sync"]);
    expect(noTable.code).toBe(1);
    expect(noTable.stderr).toMatch(/tool\.lazyscribe/);
    makeRepo("ok");
    writeFileSync(path.join(dir, "pyproject.toml"), '[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nrepositories = ["ok/repository.json", "gone/repository.json"]\n');
    const missing = cli(["release", "sync"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/gone\/repository\.json/);
    expect(existsSync(path.join(dir, "ok", "releases.json"))).toBe(false);
    expect(cli(["release", "sync", "--config", "nope.toml"]).code).toBe(1);
  });
});

describe("release export", () => {
  it("writes a minimal repository that opens; refuses to overwrite; unknown tag → 1", () => {
    // The target must lie outside the source repository's folder (its gc would delete the copy).
    const manifest = makeRepo("src");
    cli(["release", "create", "v1", "--repo", manifest]);
    const inside = cli(["release", "export", "v1", "src/deploy", "--repo", manifest]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/inside the source repository/);
    const r = cli(["release", "export", "v1", "deploy", "--repo", manifest]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`exported release v1 (2 artifacts) to ${path.join(dir, "deploy", "repository.json")}\n`);
    const ls = json<{ artifacts: Array<{ name: string; version: number }> }>(cli(["ls", "--json", "--repo", "deploy/repository.json"]));
    expect(ls.artifacts.map((a) => [a.name, a.version]).sort()).toEqual([["config", 0], ["features", 1]]);
    expect(cli(["verify", "--repo", "deploy/repository.json"]).code).toBe(0);
    const again = cli(["release", "export", "v1", "deploy", "--repo", manifest]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/refusing to overwrite/);
    expect(cli(["release", "export", "v2", "deploy2", "--repo", manifest]).code).toBe(1);
    expect(cli(["release", "export", "v1", "--repo", manifest]).code).toBe(2);
  });
});
