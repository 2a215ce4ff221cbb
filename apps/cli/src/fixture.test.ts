/**
 * The built CLI on the repository written by Python lazyscribe 2.2.1 (a copy
 * in a temp dir). The CLI's clock is real time, long after 2025-02-15, so
 * `features` version 2 is expired and version 1 is the latest.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, copyFixture, FIXTURES, json, run, tempDir } from "./testing/cli.js";

let dir: string;
let repo: string;

beforeAll(() => {
  dir = tempDir();
  repo = copyFixture("repository", dir);
});
afterAll(() => cleanup(dir));

const inRepo = (args: string[]) => run(args, { cwd: repo });

describe("Python fixture repository", () => {
  it("ls lists the latest valid version of each name", () => {
    const r = inRepo(["ls"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+VERSION\s+CREATED\s+EXPIRY\s+HANDLER\s+SIZE$/);
    expect(lines[1]).toMatch(/^features\s+1\s+2025-01-05T08:30:00Z\s+-\s+json\s+30 B$/);
    expect(lines[2]).toMatch(/^config\s+1\s+2025-02-03T07:00:00Z\s+-\s+json\s+49 B$/);
    expect(lines[3]).toMatch(/^estimator\s+0\s+2025-02-04T00:00:00Z\s+-\s+pickle\s+44 B$/);
    expect(lines).toHaveLength(4);
  });

  it("ls --json has the stable shape", () => {
    const r = inRepo(["ls", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({
      artifacts: [
        { name: "features", version: 1, createdAt: "2025-01-05T08:30:00Z", expiry: null, handler: "json", size: 30, fname: "features-20250105083000.json", sha256: null, expired: false },
        { name: "config", version: 1, createdAt: "2025-02-03T07:00:00Z", expiry: null, handler: "json", size: 49, fname: "config-20250203070000.json", sha256: null, expired: false },
        { name: "estimator", version: 0, createdAt: "2025-02-04T00:00:00Z", expiry: null, handler: "pickle", size: 44, fname: "estimator-20250204000000.pkl", sha256: null, expired: false },
      ],
    });
  });

  it("ls --at time-travels: latest of each name as of that time, names not yet created left out", () => {
    const r = inRepo(["ls", "--at", "2025-02-10T00:00:00", "--json"]);
    expect(r.code).toBe(0);
    const rows = json<{ artifacts: Array<{ name: string; version: number; expired: boolean; expiry: string | null }> }>(r).artifacts;
    expect(rows.map((a) => [a.name, a.version])).toEqual([["features", 2], ["config", 1], ["estimator", 0]]);
    expect(rows[0]).toMatchObject({ expiry: "2025-02-15T00:00:00Z", expired: false });

    const early = json<{ artifacts: Array<{ name: string; version: number }> }>(inRepo(["ls", "--at", "2025-01-06", "--json"])).artifacts;
    expect(early.map((a) => [a.name, a.version])).toEqual([["features", 1]]);

    const human = inRepo(["ls", "--at", "2025-02-20T00:00:00"]);
    expect(human.stdout).toMatch(/^features\s+1\s/m);
  });

  it("ls --at before anything existed prints no artifacts", () => {
    const r = inRepo(["ls", "--at", "2024-01-01T00:00:00"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("no artifacts as of 2024-01-01T00:00:00Z\n");
    expect(json(inRepo(["ls", "--at", "2024-01-01T00:00:00", "--json"]))).toEqual({ artifacts: [] });
  });

  it("versions features lists all three, marks the latest and the expired one", () => {
    const r = inRepo(["versions", "features"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\s+0\s+2025-01-01T12:00:00Z\s+-\s+json\s+\d+ B\s+features-20250101120000\.json$/);
    expect(lines[2]).toMatch(/^\s*\* 1\s+2025-01-05T08:30:00Z\s+-\s+json/);
    expect(lines[3]).toMatch(/^\s+2\s+2025-02-01T00:00:00Z\s+2025-02-15T00:00:00Z \(expired\)\s+json/);

    const j = json<{ name: string; latest: number; versions: Array<{ version: number; expired: boolean; latest: boolean }> }>(inRepo(["versions", "features", "--json"]));
    expect(j.name).toBe("features");
    expect(j.latest).toBe(1);
    expect(j.versions.map((v) => [v.version, v.expired, v.latest])).toEqual([[0, false, false], [1, false, true], [2, true, false]]);
  });

  it("show features --version 2025-02-10T00:00:00 --asof resolves version 2 (valid then)", () => {
    const r = inRepo(["show", "features", "--version", "2025-02-10T00:00:00", "--asof"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^name\s+features$/m);
    expect(r.stdout).toMatch(/^version\s+2$/m);
    expect(r.stdout).toMatch(/^fname\s+features-20250201000000\.json$/m);
    expect(r.stdout).toMatch(/^expiry\s+2025-02-15T00:00:00Z \(expired\)$/m);

    const j = json(inRepo(["show", "features", "--version", "2025-02-10T00:00:00", "--asof", "--json"]));
    expect(j).toMatchObject({ name: "features", version: 2, createdAt: "2025-02-01T00:00:00Z", expiry: "2025-02-15T00:00:00Z", handler: "json", expired: true, extra: {} });
    expect(j.path).toBe(path.join(repo, "features", "features-20250201000000.json"));
  });

  it("show resolves like the Python reference (exact time, asof after expiry, integer)", () => {
    expect(json(inRepo(["show", "features", "--version", "2025-01-05T08:30:00", "--json"])).version).toBe(1);
    expect(json(inRepo(["show", "features", "--version", "2025-02-20T00:00:00", "--asof", "--json"])).version).toBe(1);
    expect(json(inRepo(["show", "features", "--version", "0", "--json"])).version).toBe(0);
    const e = inRepo(["show", "estimator", "--json"]);
    expect(json(e)).toMatchObject({ handler: "pickle", extra: { python_version: "3.11" } });
  });

  it("show of a time with no exact version fails with exit 1", () => {
    const r = inRepo(["show", "features", "--version", "2025-01-05T08:30:01"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^lazyscribe: .*no version created at exactly 2025-01-05T08:30:01/);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("cat config --version 1 writes the file's bytes exactly", () => {
    const r = inRepo(["cat", "config", "--version", "1"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdoutBytes.equals(readFileSync(path.join(FIXTURES, "repository/config/config-20250203070000.json")))).toBe(true);
  });

  it("cat features (latest) is version 1", () => {
    const r = inRepo(["cat", "features"]);
    expect(r.code).toBe(0);
    expect(r.stdoutBytes.equals(readFileSync(path.join(FIXTURES, "repository/features/features-20250105083000.json")))).toBe(true);
  });

  it("cat estimator copies the pickle's raw bytes (no handler needed)", () => {
    const r = inRepo(["cat", "estimator"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdoutBytes.length).toBeGreaterThan(0);
  });

  it("verify passes (Python entries have no hash: presence only)", () => {
    const r = inRepo(["verify"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: 6 files verified \(6 without a recorded sha256/);
    expect(json(inRepo(["verify", "--json"]))).toEqual({ ok: true, checked: 6, unhashed: 6, problems: [] });
  });

  it("diff features 0 1 shows the change (indent differs between Python versions)", () => {
    const r = inRepo(["diff", "features", "0", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--- features@0/features-20250101120000.json");
    expect(r.stdout).toContain("+++ features@1/features-20250105083000.json");
    expect(r.stdout).toMatch(/^\+/m);
  });

  it("release ls / show read the Python releases.json", () => {
    const ls = inRepo(["release", "ls", "--json"]);
    expect(ls.code).toBe(0);
    const releases = json<{ releases: Array<{ tag: string; createdAt: string; artifacts: unknown[] }> }>(ls).releases;
    expect(releases.map((r) => r.tag)).toEqual(["v0.1.0", "v0.2.0", "v0.3.0"]);
    expect(releases[1]).toEqual({
      tag: "v0.2.0",
      createdAt: "2025-02-10T00:00:00Z",
      artifacts: [{ name: "config", version: 1 }, { name: "estimator", version: 0 }, { name: "features", version: 2 }],
    });
    const asof = json(inRepo(["release", "show", "--at", "2025-02-15T00:00:00", "--json"]));
    expect(asof.tag).toBe("v0.2.0");
  });

  it("release export copies the release, pickle file included, into a repository that opens", () => {
    const out = path.join(dir, "deploy");
    const r = inRepo(["release", "export", "v0.3.0", out, "--json"]);
    expect(r.code).toBe(0);
    const j = json<{ tag: string; manifest: string; artifacts: Array<{ name: string; version: number; size: number; sha256: string }> }>(r);
    expect(j.tag).toBe("v0.3.0");
    expect(j.manifest).toBe(path.join(out, "repository.json"));
    expect(j.artifacts.map((a) => [a.name, a.version])).toEqual([["features", 1], ["config", 1], ["estimator", 0]]);
    expect(readFileSync(path.join(out, "estimator", "estimator-20250204000000.pkl")).equals(readFileSync(path.join(FIXTURES, "repository/estimator/estimator-20250204000000.pkl")))).toBe(true);
    const ls = json<{ artifacts: Array<{ name: string; version: number }> }>(run(["ls", "--json", "--repo", j.manifest], { cwd: dir }));
    expect(ls.artifacts.map((a) => [a.name, a.version])).toEqual([["features", 1], ["config", 1], ["estimator", 0]]);
    expect(run(["verify", "--repo", j.manifest], { cwd: dir }).code).toBe(0);
  });

  it("the original fixture is untouched (commands only read the copy)", () => {
    expect(readFileSync(path.join(FIXTURES, "repository/repository.json"), "utf8")).toBe(readFileSync(path.join(repo, "repository.json"), "utf8"));
  });
});
