/**
 * The bundle without its S3 file beside it (dist/lazyscribe.mjs copied
 * alone): local commands work, and the first s3:// location is one line
 * naming what to install, exit 1, before any request is made.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, CLI, run, tempDir } from "./testing/cli.js";

let dir: string;
let lone: string;
beforeAll(() => {
  dir = tempDir();
  lone = path.join(dir, "lazyscribe.mjs");
  copyFileSync(CLI, lone);
  writeFileSync(path.join(dir, "f.json"), "[1]");
});
afterAll(() => cleanup(dir));

/** Run the lone copy of the bundle (not dist/, where lazyscribe-s3.mjs is). */
function runLone(args: string[]) {
  return run(args, { cwd: dir, script: lone });
}

describe("the CLI bundle without lazyscribe-s3.mjs beside it", () => {
  it("still logs and reads local repositories", () => {
    expect(runLone(["log", "f", "f.json", "--repo", "data/repository.json"]).code).toBe(0);
    const cat = runLone(["cat", "f", "--repo", "data/repository.json"]);
    expect(cat.stderr).toBe("");
    expect(cat.stdout).toBe("[1]");
  });

  it.each([
    ["ls", "--repo", "s3://some-bucket/models/repository.json"],
    ["project", "ls", "--project", "s3://some-bucket/runs/project.json"],
    ["log", "f", "f.json", "--repo", "s3://some-bucket/models/repository.json"],
  ])("%s %s … s3:// → one line naming npm install @lazyscribe/cli, exit 1", (...args) => {
    const r = runLone(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `lazyscribe: s3:// locations need ${path.join(dir, "lazyscribe-s3.mjs")}, which is missing from this copy of the lazyscribe command: install the CLI again (npm install @lazyscribe/cli)`,
    );
  });

  it("the error is typed: --debug shows code MISSING_PACKAGE", () => {
    const r = runLone(["ls", "--repo", "s3://some-bucket/models/repository.json", "--debug"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^MissingPackageError: /m);
    expect(r.stderr).toMatch(/^ {2}code: MISSING_PACKAGE$/m);
  });
});
