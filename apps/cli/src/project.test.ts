/** `lazyscribe project ...` on a copy of the project written by Python lazyscribe 2.2.1. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, copyFixture, FIXTURES, json, run, tempDir } from "./testing/cli.js";

let dir: string;
let project: string;
const cli = (args: string[]) => run(args, { cwd: project });

beforeEach(() => {
  dir = tempDir();
  project = copyFixture("project", dir);
});
afterEach(() => cleanup(dir));

describe("project ls / show", () => {
  it("ls lists the experiments (NaN metric shown as NaN)", () => {
    const r = cli(["project", "ls"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SLUG\s+NAME\s+AUTHOR\s+CREATED\s+METRICS\s+TAGS\s+ARTIFACTS$/m);
    expect(r.stdout).toMatch(/^baseline-model-20250302100000\s+Baseline model\s+alice\s+2025-03-02T10:00:00Z\s+accuracy=0\.81\s+baseline\s+features$/m);
    expect(r.stdout).toMatch(/^tuned-model-20250303111500\s+Tuned model\s+alice\s+2025-03-03T11:15:00Z\s+accuracy=0\.88 loss=NaN\s+tuned,candidate\s+features$/m);
  });

  it('ls --json (NaN becomes the string "NaN")', () => {
    const j = json<{ experiments: Array<Record<string, unknown>> }>(cli(["project", "ls", "--json"]));
    expect(j.experiments).toHaveLength(2);
    expect(j.experiments[1]).toEqual({
      slug: "tuned-model-20250303111500",
      shortSlug: "tuned-model",
      name: "Tuned model",
      author: "alice",
      createdAt: "2025-03-03T11:15:00Z",
      lastUpdated: "2025-03-03T11:15:00Z",
      metrics: { accuracy: 0.88, loss: "NaN" },
      tags: ["tuned", "candidate"],
      artifacts: ["features"],
      tests: 0,
    });
  });

  it("--project points elsewhere (before or after the subcommand)", () => {
    const p = path.join(project, "project.json");
    expect(run(["project", "ls", "--project", p, "--json"], { cwd: dir }).code).toBe(0);
    expect(run(["project", "--project", p, "ls", "--json"], { cwd: dir }).code).toBe(0);
    const up = json<{ experiments: Array<{ slug: string }> }>(run(["project", "ls", "--project", path.join(project, "upstream.json"), "--json"], { cwd: dir }));
    expect(up.experiments.map((e) => e.slug)).toEqual(["feature-build-20250301093000"]);
  });

  it("show by short slug: metrics, parameters, tests, dependencies", () => {
    const r = cli(["project", "show", "baseline-model"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^slug\s+baseline-model-20250302100000$/m);
    expect(r.stdout).toMatch(/^dependencies\s+upstream\.json\|feature-build-20250301093000$/m);
    expect(r.stdout).toMatch(/^ {2}accuracy\s+0\.81$/m);
    expect(r.stdout).toMatch(/^ {2}features\s+\["a","b"\]$/m);
    expect(r.stdout).toMatch(/^test Young customers \(age < 30\)$/m);
    expect(r.stdout).toMatch(/^ {2}artifact confusion \(json, confusion-20250302100000\.json\)$/m);

    const j = json(cli(["project", "show", "baseline-model-20250302100000", "--json"]));
    expect(j).toMatchObject({
      slug: "baseline-model-20250302100000",
      shortSlug: "baseline-model",
      metrics: { accuracy: 0.81 },
      parameters: { depth: 3, features: ["a", "b"] },
      tags: ["baseline"],
      dependencies: ["upstream.json|feature-build-20250301093000"],
      tests: [{ name: "Young customers", description: "age < 30", metrics: { accuracy: 0.7 }, parameters: {}, artifacts: [{ name: "confusion", handler: "json" }] }],
      artifacts: [{ name: "features", version: 0, fname: "features-20250302100000.json", createdAt: "2025-03-02T10:00:00Z" }],
    });
  });

  it("unknown slug → 1; missing project → 1; missing slug → 2", () => {
    const r = cli(["project", "show", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lazyscribe: no experiment with slug or short slug "nope"/);
    const missing = run(["project", "ls"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("lazyscribe: no project at ./project.json (use --project <path> to point at a project.json)\n");
    expect(cli(["project", "show"]).code).toBe(2);
  });
});

describe("project promote", () => {
  it("copies the artifact into the repository as its newest version", () => {
    const repo = copyFixture("repository", dir);
    const target = path.join(repo, "repository.json");
    const r = cli(["project", "promote", "tuned-model", "features", "--to", target]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(new RegExp(`^promoted "features" of tuned-model-20250303111500 to ${target.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} as version 3 \\(features-20250303111500\\.json, \\d+ B\\)\\n$`));
    const show = json(run(["show", "features", "--json", "--repo", target], { cwd: dir }));
    expect(show).toMatchObject({ version: 3, createdAt: "2025-03-03T11:15:00Z", handler: "json", fname: "features-20250303111500.json" });
    expect(readFileSync(path.join(repo, "features", "features-20250303111500.json")).equals(readFileSync(path.join(FIXTURES, "project/tuned-model-20250303111500/features-20250303111500.json")))).toBe(true);
    expect(run(["verify", "--repo", target], { cwd: dir }).code).toBe(0);

    // Not newer than the repository's latest → exit 1, nothing added.
    const older = cli(["project", "promote", "baseline-model", "features", "--to", target]);
    expect(older.code).toBe(1);
    expect(older.stderr).toMatch(/^lazyscribe: cannot promote "features"/);
    expect(json<{ versions: unknown[] }>(run(["versions", "features", "--json", "--repo", target], { cwd: dir })).versions).toHaveLength(4);
  });

  it("promotes into --repo (default ./repository.json), creating it; --json", () => {
    const r = cli(["project", "promote", "baseline-model", "features", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ experiment: "baseline-model-20250302100000", repository: "./repository.json", name: "features", version: 0, handler: "json" });
    expect(json<{ artifacts: unknown[] }>(cli(["ls", "--json"])).artifacts).toHaveLength(1);
  });

  it("unknown artifact → 1; unknown experiment → 1", () => {
    const a = cli(["project", "promote", "tuned-model", "nope"]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/has no artifact of that name/);
    expect(cli(["project", "promote", "nope", "features"]).code).toBe(1);
  });
});
